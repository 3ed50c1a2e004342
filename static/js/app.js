/* Tier Tracker: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Dismissable message banners: the close button removes its banner.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (!button) return;
    var banner = button.closest(".message");
    if (banner) banner.remove();
  });

  // The user menu is a <details>: close it on a click outside or on Escape.
  var menus = document.querySelectorAll("details[data-menu]");
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
})();
