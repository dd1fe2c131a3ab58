/* Tables wider than their frame (div.table-scroll, a labelled, focusable region that scrolls
   sideways): the hint that says so (the element named by data-scroll-hint) is shown only while
   the table is wider than the frame. Without this file the hint is always there, which is
   harmless; the shadows at the frame's edges (site.css) show which way there is more. */
(function () {
  "use strict";

  var frames = document.querySelectorAll(".table-scroll[data-scroll-hint]");

  function check(frame) {
    var hint = document.getElementById(frame.getAttribute("data-scroll-hint"));
    if (hint) {
      hint.hidden = frame.scrollWidth <= frame.clientWidth + 1;
    }
  }

  Array.prototype.forEach.call(frames, function (frame) {
    check(frame);
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () {
        check(frame);
      }).observe(frame);
    }
  });
}());
