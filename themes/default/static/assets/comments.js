/* Loads giscus or utterances into section.comments when it nears the viewport (nothing is fetched before),
   in the page's colour scheme, and re-themes the frame when the theme toggle changes it. */
(function () {
  "use strict";
  var box = document.querySelector("section.comments[data-provider]");
  if (!box) return;
  var root = document.documentElement;
  var d = box.dataset;
  var giscus = d.provider === "giscus";
  var origin = giscus ? "https://giscus.app" : "https://utteranc.es";

  function dark() {
    var t = root.getAttribute("data-theme");
    if (t === "light" || t === "dark") return t === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function themeName() {
    return giscus ? (dark() ? "dark" : "light") : (dark() ? "github-dark" : "github-light");
  }

  function load() {
    var s = document.createElement("script");
    s.async = true;
    s.crossOrigin = "anonymous";
    if (giscus) {
      s.src = origin + "/client.js";
      var attrs = {"repo": d.repo, "repo-id": d.repoId, "category": d.category, "category-id": d.categoryId,
                   "mapping": d.mapping, "strict": "1", "reactions-enabled": d.reactions, "emit-metadata": "0",
                   "input-position": d.inputPosition, "theme": themeName(), "lang": d.lang || "en",
                   "loading": "lazy"};
      for (var k in attrs) s.setAttribute("data-" + k, attrs[k]);
    } else {
      s.src = origin + "/client.js";
      s.setAttribute("repo", d.repo);
      s.setAttribute("issue-term", d.mapping);
      if (d.label) s.setAttribute("label", d.label);
      s.setAttribute("theme", themeName());
    }
    box.appendChild(s);
  }

  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); load(); }
    }, {rootMargin: "600px 0px"});
    seen.observe(box);
  } else {
    load();
  }

  new MutationObserver(function () {
    var frame = box.querySelector("iframe");
    if (!frame || !frame.contentWindow) return;
    var message = giscus ? {giscus: {setConfig: {theme: themeName()}}} : {type: "set-theme", theme: themeName()};
    frame.contentWindow.postMessage(message, origin);
  }).observe(root, {attributes: true, attributeFilter: ["data-theme"]});
})();
