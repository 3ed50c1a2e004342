/* A background job's page: polls its status once a second while it runs and moves the
   progress bar, then shows the download (or the error) without a reload. */
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
    var counts = box.querySelector("[data-job-counts]");
    counts.textContent = data.total && running ? data.done + " of " + data.total : "";
    var rect = box.querySelector(".progress__bar-rect");
    if (rect) rect.setAttribute("width", String(data.percent));
    var pct = box.querySelector(".progress__pct");
    if (pct) pct.textContent = data.percent + "%";
    var track = box.querySelector("[role=progressbar]");
    if (track) {
      track.setAttribute("aria-valuenow", String(data.total ? data.done : data.percent));
      track.setAttribute("aria-valuemax", String(data.total || 100));
    }
    var error = box.querySelector("[data-job-error]");
    error.textContent = data.error;
    error.hidden = !data.error;
    var download = box.querySelector("[data-job-download]");
    download.hidden = !data.download;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.status === "queued" || data.status === "running") setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") setTimeout(poll, 500);
})();
