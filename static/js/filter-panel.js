/* The filter panel (details#filter-panel): closed on a phone, so that the result count and the
   results come first and the filters open from its summary ("Filters (2 active)"); kept open
   on a wide screen when it is the sidebar (data-open-when-wide), its summary then hidden by
   the stylesheet. The coverage page keeps it closed above its wide table.

   Without this file the disclosure still opens and closes by itself (it is a <details>), and
   the form inside it submits as a plain GET form. */
(function () {
  "use strict";

  var panel = document.getElementById("filter-panel");
  if (!panel || !panel.hasAttribute("data-open-when-wide") || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 56rem)");

  function follow() {
    if (wide.matches) {
      panel.open = true;
    }
  }

  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }
}());
