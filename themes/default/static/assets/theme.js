/* mlfolio default theme: colour theme toggle and heading permalinks. No dependencies.
   The stored choice is applied before paint by the inline script in partials/head.html. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "mlfolio-theme";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function current() {
    var t = root.getAttribute("data-theme");
    if (t === "light" || t === "dark") return t;
    return media && media.matches ? "dark" : "light";
  }

  function sync() {
    var dark = current() === "dark";
    var buttons = document.querySelectorAll(".theme-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", dark ? "true" : "false");
    }
  }

  function toggle() {
    var next = current() === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: choice lasts for this page */ }
    sync();
  }

  var buttons = document.querySelectorAll(".theme-toggle");
  for (var i = 0; i < buttons.length; i++) buttons[i].addEventListener("click", toggle);
  if (media && media.addEventListener) media.addEventListener("change", sync);
  // Another tab changed the theme.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY && (e.newValue === "light" || e.newValue === "dark")) {
      root.setAttribute("data-theme", e.newValue);
      sync();
    }
  });
  sync();

  // A "#" permalink after each heading that has an id (shown on hover or keyboard focus).
  var headings = document.querySelectorAll(".prose h2[id], .prose h3[id], .prose h4[id]");
  for (var j = 0; j < headings.length; j++) {
    var h = headings[j];
    if (h.querySelector(".heading-anchor")) continue;
    var a = document.createElement("a");
    a.className = "heading-anchor";
    a.href = "#" + h.id;
    a.textContent = "#";
    a.setAttribute("aria-label", "Link to this section: " + h.textContent.trim());
    h.appendChild(a);
  }

  // Code blocks, tables and formulas that scroll sideways get keyboard focus, so they can be scrolled
  // without a mouse (a tab stop only where there is something to scroll).
  function focusScrollers() {
    var boxes = document.querySelectorAll(".prose pre, .prose table, .prose .math-display");
    for (var k = 0; k < boxes.length; k++) {
      var el = boxes[k];
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute("data-scroll-focus", "");
        }
      } else if (el.hasAttribute("data-scroll-focus")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-focus");
      }
    }
  }
  focusScrollers();
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(focusScrollers, 150);
  });
})();
