/* The language switcher in the top bar posts its form as soon as a language is picked (a script
   file, not an onchange attribute: the Content-Security-Policy allows no inline script). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var select = document.getElementById("fc-language");
  if (select) { select.addEventListener("change", function () { select.form.submit(); }); }
});

/* On a phone the menu scrolls sideways in its bar: bring the current page's entry into view. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var current = document.querySelector(".fc-nav a[aria-current=page]");
  var bar = current && current.closest(".fc-nav");
  if (!bar || bar.scrollWidth <= bar.clientWidth) { return; }
  bar.scrollLeft = current.offsetLeft - (bar.clientWidth - current.offsetWidth) / 2;
});
