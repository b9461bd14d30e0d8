/* The language switcher in the top bar posts its form as soon as a language is picked (a script
   file, not an onchange attribute: the Content-Security-Policy allows no inline script). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var select = document.getElementById("fc-language");
  if (select) { select.addEventListener("change", function () { select.form.submit(); }); }
});
