// Progressive enhancement: while a background job is queued or running, fetch its status fragment every two
// seconds into the same polite live region (kept in place, so screen readers announce each change once).
(function () {
  "use strict";
  var ACTIVE = ["queued", "running"];

  function follow(region) {
    var url = region.getAttribute("data-job-poll");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        region.innerHTML = html;
        var state = region.querySelector("[data-job-state]");
        if (state && ACTIVE.indexOf(state.getAttribute("data-job-state")) !== -1) {
          window.setTimeout(poll, 2000);
        }
      }).catch(function () { window.setTimeout(poll, 10000); });
    }
    window.setTimeout(poll, 2000);
  }

  document.querySelectorAll("[data-job-poll]").forEach(follow);
}());
