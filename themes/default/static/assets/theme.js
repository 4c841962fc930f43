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
    syncPictures();
  }

  // A figure's dark variant is a <picture> source for the system's dark scheme; a theme the reader chose
  // here overrides the system's, so the source follows that choice.
  function syncPictures() {
    var chosen = root.getAttribute("data-theme");
    var media = chosen === "dark" ? "all" : chosen === "light" ? "not all" : "(prefers-color-scheme: dark)";
    var sources = document.querySelectorAll("source[data-dark]");
    for (var i = 0; i < sources.length; i++) {
      if (sources[i].getAttribute("media") !== media) sources[i].setAttribute("media", media);
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

  // A copy button on each code block. Clipboard API where the page is a secure context, else the old
  // execCommand; if both fail the code is selected, ready for Ctrl+C. A status line tells screen readers.
  var status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject();
    });
  }

  function addCopyButton(block) {
    var code = block.querySelector("pre code") || block.querySelector("pre");
    if (!code || block.querySelector(".copy-code")) return;
    var button = document.createElement("button");
    var timer;
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    button.addEventListener("click", function () {
      function show(label, message) {
        button.textContent = label;
        button.classList.toggle("copied", label === "Copied");
        status.textContent = message;
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = "Copy";
          button.classList.remove("copied");
          status.textContent = "";
        }, 2000);
      }
      copyText(code.textContent).then(function () {
        show("Copied", "Code copied to clipboard");
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        show("Selected", "Code selected: press Ctrl+C to copy");
      });
    });
    block.insertBefore(button, block.firstChild);
  }
  var codeBlocks = document.querySelectorAll(".prose .code-block");
  for (var c = 0; c < codeBlocks.length; c++) addCopyButton(codeBlocks[c]);

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
