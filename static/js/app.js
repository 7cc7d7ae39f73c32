// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  // Autosave: save the answer on every change, and say so politely; show a banner when saving fails.
  function setupAutosave(form) {
    var url = form.getAttribute("data-autosave");
    var state = form.querySelector("[data-save-state]");
    if (!url || !state) { return; }
    var pending = null;
    function report(text, failed) {
      state.textContent = text;
      state.classList.toggle("save-failed", !!failed);
    }
    function save() {
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
          report("Saved at " + time + ".", false);
        } else {
          report("Not saved: " + (result.body.error || "please try again.") + " Your choice is still on this page.", true);
        }
      }).catch(function () {
        report("Not saved: the connection dropped. We will try again when you change an answer, or use Next to save.", true);
      });
    }
    form.addEventListener("change", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(save, 250);
    });
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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setupAutosave);
    Array.prototype.forEach.call(document.querySelectorAll(".timer[data-remaining]"), setupTimer);
  });
})();
