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
  var SHOWN = 8;
  var pagefind = null;        // the promise of Pagefind's module, made on first use
  var asked = "";             // the query whose results are on screen (or on their way)
  var timer = 0;

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
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load().catch(function () { say("Search is not available: its index could not be loaded."); });
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

  function show(query, results, datas) {
    if (query !== asked) return;
    list.replaceChildren.apply(list, datas.map(hit));
    var n = results.length;
    if (!n) say("No results for “" + query + "”.");
    else say(n + (n === 1 ? " result" : " results") + " for “" + query + "”" +
             (n > datas.length ? ", showing the first " + datas.length + "." : "."));
  }

  function search() {
    var query = input.value.trim();
    asked = query;
    if (!query) { list.replaceChildren(); say(""); return; }
    load().then(function (pf) { return pf.search(query); }).then(function (found) {
      if (query !== asked || !found) return;
      var results = found.results;
      return Promise.all(results.slice(0, SHOWN).map(function (r) { return r.data(); })).then(function (datas) {
        show(query, results, datas);
      });
    }).catch(function () { if (query === asked) say("Search is not available: its index could not be loaded."); });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  for (var i = 0; i < toggles.length; i++) toggles[i].addEventListener("click", open);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  dialog.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();                                     // Enter: go to the first result
    var first = links()[0];
    if (first) first.click();
  });
  dialog.querySelector("[data-search-close]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) {           // a click on the backdrop closes
    if (e.target === dialog) dialog.close();
  });
  dialog.addEventListener("keydown", function (e) {         // arrows move between the input and the results
    if (e.key === "Escape") {                               // closes even when the box has text to clear
      e.preventDefault();
      dialog.close();
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
    if (slash && t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    open();
  });
})();
