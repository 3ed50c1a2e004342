/* Session form: speed for the keyboard. The form works without this file (rows are formset rows
   and "Add a row" / "Add everyone" post the form back); this adds rows in place, moves to the next
   row on Enter, suggests people while typing (training:employee-search, same origin), keeps the
   sign-off rows' choices to the attendees and the skills covered, and shows the duration as the
   default hours, and shows the name, department and shift of each attendee typed or picked. It
   stores nothing: no localStorage, no cookies. */
(function () {
  "use strict";

  var form = document.querySelector("[data-session-form]");
  if (!form) return;
  var searchUrl = form.getAttribute("data-search-url");
  var suggestions = document.getElementById("employee-suggestions");
  var attendeeList = document.getElementById("session-attendees");
  var known = {}; // employee number (upper case) -> person, from this page's search answers
  var UNKNOWN = "Nobody active on the session's date has this number or name.";

  function total(prefix) {
    return form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  }

  function rowsOf(prefix) {
    return Array.prototype.slice.call(
      form.querySelectorAll("[data-rows-body='" + prefix + "'] > tr[data-row]")
    );
  }

  function firstInput(row) {
    return row.querySelector("input:not([type=hidden]), select");
  }

  function addRow(prefix) {
    var template = form.querySelector("template[data-row-template='" + prefix + "']");
    var counter = total(prefix);
    if (!template || !counter) return null;
    var index = parseInt(counter.value, 10) || 0;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var body = form.querySelector("[data-rows-body='" + prefix + "']");
    body.insertAdjacentHTML("beforeend", html);
    counter.value = String(index + 1);
    var row = body.lastElementChild;
    enhanceRow(row, prefix);
    return row;
  }

  function enhanceRow(row, prefix) {
    var clear = row.querySelector("[data-clear-row]");
    if (clear) clear.hidden = false;
    if (prefix === "attendees") {
      var hours = row.querySelector(".input-hours");
      if (hours) hours.placeholder = durationText();
    }
    if (prefix === "signoffs") filterSkills(row);
  }

  function durationText() {
    var duration = form.querySelector("[name='duration_hours']");
    return duration && duration.value.trim() ? duration.value.trim() : "";
  }

  // --- Buttons: add a row in place instead of posting the form back ----------------------
  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      event.preventDefault();
      var row = addRow(add.getAttribute("data-add-row"));
      if (row) firstInput(row).focus();
      return;
    }
    var clear = event.target.closest("[data-clear-row]");
    if (clear) {
      var tr = clear.closest("tr");
      tr.querySelectorAll("input:not([type=hidden]), select").forEach(function (input) {
        if (input.type === "checkbox") input.checked = false;
        else input.value = "";
      });
      syncAttendees();
      showPerson(tr, false);
      firstInput(tr).focus();
    }
  });

  // --- Enter moves to the next row (adding one at the end) instead of saving -------------
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var input = event.target;
    var row = input.closest && input.closest("tr[data-row]");
    if (!row || input.tagName === "SELECT" || input.tagName === "BUTTON") return;
    event.preventDefault();
    var body = row.parentElement;
    var prefix = body.getAttribute("data-rows-body");
    var next = row.nextElementSibling || addRow(prefix);
    if (next) firstInput(next).focus();
  });

  // --- Suggestions while typing a name or number ----------------------------------------
  // People active on the session's date matching `query`; each answer is remembered by number.
  function search(query) {
    var day = form.querySelector("[name='date']");
    var url = searchUrl + "?q=" + encodeURIComponent(query) +
      (day && day.value ? "&on=" + encodeURIComponent(day.value) : "");
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        data.results.forEach(function (p) { known[p.number.toUpperCase()] = p; });
        return data;
      });
  }

  var timer = null;
  var lastQuery = "";
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.name === "duration_hours") {
      form.querySelectorAll(".input-hours").forEach(function (h) {
        h.placeholder = durationText();
      });
    }
    if (input.closest && input.closest("[data-rows-body='attendees']")) {
      syncAttendees();
      showPerson(input.closest("tr"), false);
    }
    if (!input.hasAttribute || !input.hasAttribute("data-employee-picker") || !suggestions) return;
    input.setAttribute("list", "employee-suggestions");
    var query = input.value.trim();
    if (query.length < 2 || query === lastQuery || known[query.toUpperCase()]) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      lastQuery = query;
      search(query)
        .then(function (data) {
          suggestions.innerHTML = "";
          data.results.forEach(function (person) {
            var option = document.createElement("option");
            option.value = person.number;
            option.label = person.label;
            option.textContent = person.label;
            suggestions.appendChild(option);
          });
          if (input.closest("[data-rows-body='attendees']")) showPerson(input.closest("tr"), false);
        })
        .catch(function () { /* suggestions are a convenience; typing a number still works */ });
    }, 180);
  });

  // --- Who each attendee row stands for: name, department and shift ----------------------
  function setPerson(cell, person, text, value) {
    cell.textContent = "";
    cell.setAttribute("data-person", value || "");
    if (person) {
      var name = document.createElement("strong");
      name.textContent = person.name;
      var rest = document.createElement("span");
      rest.className = "muted";
      rest.textContent = " · " + person.department + " · " + person.shift;
      cell.appendChild(name);
      cell.appendChild(rest);
    } else if (text) {
      var note = document.createElement("span");
      note.className = "muted";
      note.textContent = text;
      cell.appendChild(note);
    }
  }

  // `lookUp`: ask the server about a value typed by hand (when the row is left), not per key.
  function showPerson(row, lookUp) {
    var cell = row && row.querySelector("[data-person]");
    var input = row && firstInput(row);
    if (!cell || !input) return;
    var value = input.value.trim();
    var person = known[value.toUpperCase()];
    if (!value || person) {
      setPerson(cell, person, "", value);
      return;
    }
    if (!lookUp) {
      // Keep what a lookup said about this very value; anything else typed is not known yet.
      if (cell.getAttribute("data-person") !== value) setPerson(cell, null, "", value);
      return;
    }
    search(value)
      .then(function (data) {
        if (input.value.trim() !== value) return; // typed on since
        var exact = data.results.filter(function (p) {
          return p.number.toUpperCase() === value.toUpperCase();
        });
        var match = exact.length ? exact[0] : (data.results.length === 1 ? data.results[0] : null);
        var many = data.results.length + " people match: pick one from the suggestions or type a number.";
        setPerson(cell, match, match ? "" : (data.results.length > 1 ? many : UNKNOWN), value);
        if (match) syncAttendees();
      })
      .catch(function () { /* the save checks every row anyway */ });
  }

  // --- Sign-off rows: choose among the attendees and the skills covered -----------------
  function syncAttendees() {
    if (!attendeeList) return;
    attendeeList.innerHTML = "";
    rowsOf("attendees").forEach(function (row) {
      var input = firstInput(row);
      var value = input && input.value.trim();
      if (!value) return;
      var option = document.createElement("option");
      option.value = value;
      var person = known[value.toUpperCase()];
      if (person) option.label = person.label;
      attendeeList.appendChild(option);
    });
  }

  function coveredSkills() {
    var ids = [];
    form.querySelectorAll("input[name='skills']:checked").forEach(function (box) {
      ids.push(box.value);
    });
    return ids;
  }

  function filterSkills(row) {
    var covered = coveredSkills();
    var rows = row ? [row] : rowsOf("signoffs");
    rows.forEach(function (tr) {
      var select = tr.querySelector("select[name$='-skill']");
      if (!select) return;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var hide = covered.length > 0 && covered.indexOf(option.value) === -1 && !option.selected;
        option.hidden = hide;
        option.disabled = hide;
      });
      // With one skill covered, a new sign-off row picks it already.
      if (covered.length === 1 && !select.value) {
        var only = tr.querySelector("input[name$='-employee']");
        if (only && !only.value) select.value = covered[0];
      }
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "skills") filterSkills();
    if (event.target.closest && event.target.closest("[data-rows-body='attendees']")) {
      syncAttendees();
      showPerson(event.target.closest("tr"), true);
    }
  });

  rowsOf("attendees").forEach(function (row) { enhanceRow(row, "attendees"); });
  rowsOf("signoffs").forEach(function (row) { enhanceRow(row, "signoffs"); });
  syncAttendees();

  // After a refused save, take the keyboard to the list of problems.
  var problems = document.getElementById("problems");
  if (problems) problems.focus();
})();
