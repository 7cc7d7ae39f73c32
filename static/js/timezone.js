// Progressive enhancement: send the browser's time zone with the form, so times are shown in it.
// Without this script the field stays as the server filled it, and times are shown with their zone named.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) { return; }
  var fields = document.querySelectorAll('input[type="hidden"][name="time_zone"]');
  for (var i = 0; i < fields.length; i++) { fields[i].value = zone; }
})();
