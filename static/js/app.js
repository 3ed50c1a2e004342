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
  // A table wider than its card scrolls inside it: say so, and shade the edge that has more.
  function markScroll(box) {
    var more = box.scrollWidth - box.clientWidth > 2;
    box.classList.toggle("has-more-right", more && box.scrollLeft + box.clientWidth < box.scrollWidth - 2);
    box.classList.toggle("has-more-left", more && box.scrollLeft > 2);
    var hint = box.previousElementSibling;
    if (more && !(hint && hint.hasAttribute("data-scroll-hint"))) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("data-scroll-hint", "");
      hint.textContent = "More columns: scroll the table sideways.";
      box.parentNode.insertBefore(hint, box);
    } else if (!more && hint && hint.hasAttribute("data-scroll-hint")) {
      hint.remove();
    }
  }
  var boxes = document.querySelectorAll(".table-scroll");
  boxes.forEach(function (box) {
    markScroll(box);
    box.addEventListener("scroll", function () { markScroll(box); }, { passive: true });
  });
  window.addEventListener("resize", function () { boxes.forEach(markScroll); });

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
