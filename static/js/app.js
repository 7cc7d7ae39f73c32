// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  // Autosave: save the answer on every change and say "Saved" politely; when saving fails, show a banner (an alert)
  // that stays until a save works again.
  function setupAutosave(form) {
    var url = form.getAttribute("data-autosave");
    var state = form.querySelector("[data-save-state]");
    var alert = form.querySelector("[data-save-alert]");
    if (!url || !state) { return; }
    var pending = null, failed = false;
    function saved(text) {
      failed = false;
      if (alert) { alert.textContent = ""; }
      state.textContent = text;
      state.classList.add("save-ok");
    }
    function notSaved(reason) {
      failed = true;
      state.textContent = "";
      state.classList.remove("save-ok");
      var where = alert || state, strong = document.createElement("strong");
      strong.textContent = "Not saved.";
      where.textContent = "";
      where.appendChild(strong);
      where.appendChild(document.createTextNode(" " + reason));
    }
    // An ordering question is saved once every item has a position (half-done is not an error to report).
    function incomplete() {
      var positions = Array.prototype.map.call(form.querySelectorAll("select.ordering-select"), function (s) { return s.value; });
      var blank = positions.filter(function (v) { return v === ""; }).length;
      return blank > 0 && blank < positions.length;
    }
    function save() {
      if (incomplete()) { return; }
      var data = new FormData(form);
      data.delete("go");
      fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok && result.body.saved) {
          var time = new Date(result.body.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
          saved("Saved at " + time + ".");
        } else {
          notSaved((result.body.error || "Please try again.") + " Your choice is still on this page.");
        }
      }).catch(function () {
        notSaved("The connection dropped. Your choice is still on this page: we will try again when you change an " +
          "answer or come back online, or use Next to save it.");
      });
    }
    form.addEventListener("change", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(save, 250);
    });
    window.addEventListener("online", function () { if (failed) { save(); } });
  }

  // Practice quizzes: "Check answer" reloads the page with the feedback; announce the verdict politely once, after
  // the page has loaded (a live region's first content is not read out), and only after that button was pressed.
  var CHECKED = "quizapp-checked";
  function setupCheckAnnouncement(form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.hasAttribute("data-check")) {
        try { window.sessionStorage.setItem(CHECKED, window.location.pathname); } catch (e) { /* storage off */ }
      }
    });
    var feedback = form.querySelector("[data-feedback]");
    var state = form.querySelector("[data-save-state]");
    var checked = null;
    try { checked = window.sessionStorage.getItem(CHECKED); window.sessionStorage.removeItem(CHECKED); } catch (e) { /* */ }
    if (!feedback || !state || checked !== window.location.pathname) { return; }
    var verdict = feedback.querySelector(".feedback-verdict");
    var words = "";
    if (verdict) {
      var copy = verdict.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("[aria-hidden]"), function (icon) { icon.remove(); });
      words = copy.textContent.replace(/\s+/g, " ").trim();
    }
    window.setTimeout(function () {
      state.textContent = "Answer checked: " + words + ". The feedback follows the question.";
    }, 500);
  }

  // Countdown: updates every second visually, but announces only at 5 minutes, 1 minute and time up.
  function setupTimer(timer) {
    var remaining = parseInt(timer.getAttribute("data-remaining"), 10);
    var value = timer.querySelector(".timer-value");
    var announcer = document.getElementById("timer-announcer");
    if (isNaN(remaining) || !value) { return; }
    var deadline = Date.now() + remaining * 1000;
    var announced = {};
    function announce(key, text) {
      if (announcer && !announced[key]) { announced[key] = true; announcer.textContent = text; }
    }
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      value.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("timer-low", left <= 60);
      // Announce a threshold only when it is crossed on this page, not on every page load below it.
      if (remaining > 300 && left <= 300 && left > 60) { announce("5", "5 minutes left."); }
      if (remaining > 60 && left <= 60 && left > 0) { announce("1", "1 minute left."); }
      if (left === 0) {
        announce("0", "Time is up. Your saved answers will be submitted.");
        window.clearInterval(handle);
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    }
    var handle = window.setInterval(tick, 1000);
    tick();
  }

  // On a small screen a wide table scrolls sideways inside itself: let the keyboard reach it to scroll it.
  function keyboardScrollTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".data-table"), function (table) {
      var wide = table.scrollWidth > table.clientWidth;
      if (wide && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-scrolls", "");
      } else if (!wide && table.hasAttribute("data-scrolls")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scrolls");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setupAutosave);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setupCheckAnnouncement);
    Array.prototype.forEach.call(document.querySelectorAll(".timer[data-remaining]"), setupTimer);
    keyboardScrollTables();
    var resized = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resized);
      resized = window.setTimeout(keyboardScrollTables, 200);
    });
  });
})();
