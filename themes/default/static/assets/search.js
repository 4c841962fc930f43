/* mlfolio default theme: site search (search: true in mlfolio.yml). The header button or the "/" key opens
   the dialog; Pagefind's script, WebAssembly and index are fetched only then, so a page that is only read
   costs this file and nothing more. Results are built with textContent: nothing indexed is inserted as HTML. */
(function () {
  "use strict";
  var dialog = document.getElementById("search-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var toggles = document.querySelectorAll(".search-toggle");
  var PAGE = 8;               // results fetched and shown at a time ("More results" adds as many again)
  var pagefind = null;        // the promise of Pagefind's module, made on first use
  var asked = "";             // the query whose results are on screen (or on their way)
  var timer = 0;
  var opener = null;          // what had focus before the dialog opened; it gets focus back on close

  function load() {
    if (!pagefind) {
      pagefind = import(dialog.getAttribute("data-bundle") + "pagefind.js").then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: dialog.getAttribute("data-base"), excerptLength: 26 }))
          .then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });     // offline for a moment: try again next time
    }
    return pagefind;
  }

  function open() {
    if (!dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
    }
    input.focus();
    input.select();
    load().catch(function () { say("Search is not available: its index could not be loaded."); });
  }

  /* Focus goes back to what had it before, and never stays in the hidden dialog (a "/" typed there would be
     taken for typing in a field). Also run on the dialog's close event, which comes a moment later. */
  function restore() {
    if (opener && opener !== document.body && document.contains(opener)) opener.focus();
    else if (dialog.contains(document.activeElement)) document.activeElement.blur();
    opener = null;
  }

  function close() {
    dialog.close();
    restore();
  }

  function say(text) { status.textContent = text; }

  /* Pagefind's excerpt marks the matched words with <mark>; it is parsed in an inert document and only its
     text and those marks are kept. */
  function excerpt(html) {
    var out = document.createElement("span");
    out.className = "search-hit-excerpt";
    var body = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    body.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function hit(data) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "search-hit";
    a.href = data.url;
    var title = document.createElement("span");
    title.className = "search-hit-title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    a.appendChild(title);
    a.appendChild(excerpt(data.excerpt || ""));
    li.appendChild(a);
    return li;
  }

  /* Appends the next PAGE results of `results` (all of this query's), then a "More results" button if any
     are left; focus moves to the first new one when `focus` (the button was used). */
  function more(query, results, focus) {
    var from = list.querySelectorAll(".search-hit").length;
    return Promise.all(results.slice(from, from + PAGE).map(function (r) { return r.data(); })).then(function (datas) {
      if (query !== asked) return;
      var old = list.querySelector(".search-more");
      if (old) old.remove();
      var items = datas.map(hit);
      items.forEach(function (li) { list.appendChild(li); });
      var n = results.length;
      if (!n) say("No results for “" + query + "”.");
      else say(n + (n === 1 ? " result" : " results") + " for “" + query + "”.");
      if (from + datas.length < n) {
        var li = document.createElement("li");
        li.className = "search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = "More results (" + (n - from - datas.length) + ")";
        button.addEventListener("click", function () { more(query, results, true); });
        li.appendChild(button);
        list.appendChild(li);
      }
      if (focus && items.length) items[0].firstChild.focus();
    });
  }

  function search() {
    var query = input.value.trim();
    asked = query;
    if (!query) { list.replaceChildren(); say(""); return; }
    load().then(function (pf) { return pf.search(query); }).then(function (found) {
      if (query !== asked || !found) return;
      list.replaceChildren();
      return more(query, found.results, false);
    }).catch(function () { if (query === asked) say("Search is not available: its index could not be loaded."); });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a, button")); }

  for (var i = 0; i < toggles.length; i++) toggles[i].addEventListener("click", open);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  dialog.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();                                     // Enter: go to the first result
    var first = list.querySelector(".search-hit");
    if (first) first.click();
  });
  dialog.querySelector("[data-search-close]").addEventListener("click", close);
  dialog.addEventListener("close", restore);
  dialog.addEventListener("click", function (e) {           // a click on the backdrop closes
    if (e.target === dialog) close();
  });
  dialog.addEventListener("keydown", function (e) {         // arrows move between the input and the results
    if (e.key === "Escape") {                               // closes even when the box has text to clear
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var all = [input].concat(links());
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    var next = all[Math.max(0, Math.min(all.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))];
    if (next !== document.activeElement) { e.preventDefault(); next.focus(); }
  });
  document.addEventListener("keydown", function (e) {
    if (dialog.open || e.defaultPrevented || e.altKey) return;
    var slash = e.key === "/" && !e.ctrlKey && !e.metaKey;
    var k = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey);
    if (!slash && !k) return;
    var t = e.target;
    if (slash && t && !dialog.contains(t) && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      return;                                               // typing a "/" somewhere else
    }
    e.preventDefault();
    open();
  });
})();
