/* A background job's page: polls its status once a second while it runs and moves the
   progress bar, then shows the download (or the error) without a reload. A job whose result
   is a page (an import's preview) opens that page when it finishes while being watched. */
(function () {
  "use strict";

  var box = document.querySelector("[data-job]");
  if (!box) return;
  var url = box.getAttribute("data-status-url");

  function show(data) {
    box.setAttribute("data-status", data.status);
    box.querySelector("[data-job-label]").textContent = data.label;
    var running = data.status !== "done";
    box.querySelector("[data-job-stage]").textContent = running ? data.stage : "";
    var words = box.querySelector(".progress__label > span:first-child");
    if (words) words.textContent = data.counts || data.label;
    var rect = box.querySelector(".progress__bar-rect");
    if (rect) rect.setAttribute("width", String(data.percent));
    var pct = box.querySelector(".progress__pct");
    if (pct) pct.textContent = data.percent + "%";
    var track = box.querySelector("[role=progressbar]");
    if (track) {
      track.setAttribute("aria-valuenow", String(data.total ? data.done : data.percent));
      track.setAttribute("aria-valuemax", String(data.total || 100));
      track.setAttribute("aria-valuetext", data.counts || data.label);
      track.setAttribute("aria-label", data.counts || data.label);
    }
    var error = box.querySelector("[data-job-error]");
    error.textContent = data.error;
    error.hidden = !data.error;
    var download = box.querySelector("[data-job-download]");
    if (download) download.hidden = !data.download;
    var page = box.querySelector("[data-job-page]");
    if (page) page.hidden = !data.page;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.status === "queued" || data.status === "running") setTimeout(poll, 1000);
        else if (data.page) window.location.assign(data.page);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") setTimeout(poll, 500);
})();
