/* Progressive enhancement only: every feature here also works without JavaScript. */
(function () {
  "use strict";
  // Print link: print directly instead of loading the ?print=1 view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-print]");
    if (link && window.print) {
      event.preventDefault();
      window.print();
    }
  });
  // Escape closes the open menu and returns focus to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector("details.menu[open]");
    if (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    }
  });
})();
