// The publish page: the day the publicity window would end follows the number of
// working days typed (the days -> day table comes from the server, #pb-window-ends).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("pb-window-ends");
    var input = document.querySelector("[data-testid=publish-form] input[name=days]");
    var shown = document.querySelector("[data-pb-window-end]");
    if (!table || !input || !shown) return;
    var ends = JSON.parse(table.textContent);
    var initial = shown.textContent;
    input.addEventListener("input", function () {
      var days = input.value.trim();
      shown.textContent = ends[days] || (days === "" ? initial : "—");
    });
  });
})();
