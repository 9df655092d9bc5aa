/* Fit the whole board on the screen: shrink the tiles step by step while the page is
   taller than the window (down to half size; beyond that it scrolls). */
(function () {
  "use strict";
  var body = document.body;
  function fit() {
    var scale = 1;
    body.style.setProperty("--pb-fit", scale);
    while (document.documentElement.scrollHeight > window.innerHeight && scale > 0.5) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      body.style.setProperty("--pb-fit", scale);
    }
    body.setAttribute("data-fit", scale);
  }
  window.addEventListener("load", fit);
  window.addEventListener("resize", fit);
})();
