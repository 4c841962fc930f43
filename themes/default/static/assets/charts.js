/* mlfolio default theme: draws the page's Mermaid diagrams, Vega-Lite and Plotly charts (the figures charts.py
   makes) in the site's colours, and again when the colour theme changes.
   A module, so it runs once however many feature partials load it. A library is loaded only for a page that has
   its kind, from the <link data-chart-lib="KIND"> its partial (features/KIND.html) puts in the head.
   A spec is the text of an inert <script type="application/json">, parsed with JSON.parse, never run; a chart
   that cannot be drawn says why (and shows what a reader without JavaScript gets). */

const NAMES = { mermaid: "Mermaid diagram", "vega-lite": "Vega-Lite chart", plotly: "Plotly chart" };
/* The site's root (this file is assets/charts.js): a chart's relative file paths start there, also under a
   sub-path (https://ada.github.io/portfolio/). */
const SITE_ROOT = new URL("../", import.meta.url).href;
const root = document.documentElement;
const media = window.matchMedia("(prefers-color-scheme: dark)");
const charts = [];          // the page's charts that came near the viewport: drawn, and redrawn on a theme change
let drawnDark = null;
let ids = 0;

function isDark() {
  const t = root.getAttribute("data-theme");
  return t === "light" || t === "dark" ? t === "dark" : media.matches;
}

/* The theme's colours as #rrggbb, whatever CSS syntax they are written in: each is painted on a one-pixel
   canvas over the page background (so a translucent one is blended) and read back. */
function palette() {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const style = getComputedStyle(root);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const bg = read("--bg", "#ffffff");
  const hex = (name, fallback) => {
    ctx.fillStyle = "#ffffff";
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, 1, 1);
    ctx.fillStyle = read(name, fallback);
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return "#" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");
  };
  return {
    dark: isDark(),
    bg: hex("--bg", "#ffffff"), soft: hex("--bg-soft", "#f6f8fa"), card: hex("--card", "#ffffff"),
    text: hex("--text", "#1b1f24"), text2: hex("--text-2", "#57606a"),
    border: hex("--border", "#d5dbe2"), borderSoft: hex("--border-soft", "#e6eaef"),
    accent: hex("--accent", "#4f46e5"), accentSoft: hex("--accent-soft", "#eef0ff"),
    series: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => hex("--chart-" + i, "#4f46e5")),
    font: getComputedStyle(document.body).fontFamily,
  };
}

/* ---------- Libraries ---------- */
const libraries = {};

function addScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error("could not load " + src));
    document.head.append(s);
  });
}

async function loadLibrary(kind) {
  const links = document.querySelectorAll(`link[data-chart-lib="${kind}"]`);
  if (!links.length) throw new Error(`the page does not name the ${kind} library (features/${kind}.html)`);
  if (kind === "mermaid") {
    try {
      return (await import(links[0].href)).default;
    } catch (e) {
      throw new Error("could not load " + links[0].href);
    }
  }
  for (const link of links) await addScript(link.href);
  return kind === "plotly" ? window.Plotly : window.vegaEmbed;
}

function library(kind) {
  libraries[kind] = libraries[kind] || loadLibrary(kind);
  return libraries[kind];
}

/* Files a chart may fetch: this site's (and data: URLs); a link in a chart may go anywhere on the web. */
function allowed(href, isLink) {
  const url = new URL(href, document.baseURI);
  if (isLink) return ["http:", "https:", "mailto:"].includes(url.protocol);
  return url.protocol === "data:" || url.origin === window.location.origin;
}

function merged(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over || {})) {
    if (k === "__proto__") continue;
    const plain = v && typeof v === "object" && !Array.isArray(v);
    out[k] = plain && out[k] && typeof out[k] === "object" ? merged(out[k], v) : v;
  }
  return out;
}

/* ---------- Mermaid ---------- */
let mermaidTheme = null;

async function drawMermaid(mermaid, chart, c) {
  if (mermaidTheme !== c) {
    mermaidTheme = c;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",          // HTML in labels sanitised, click callbacks disabled
      layout: "dagre",                  // not ELK (1.6 MB more) unless a diagram asks for it
      suppressErrorRendering: true,     // our error box instead of Mermaid's bomb
      theme: "base",
      fontFamily: c.font,
      themeVariables: {
        darkMode: c.dark, background: c.bg, fontFamily: c.font,
        primaryColor: c.accentSoft, primaryTextColor: c.text, primaryBorderColor: c.accent,
        secondaryColor: c.soft, secondaryTextColor: c.text, secondaryBorderColor: c.border,
        tertiaryColor: c.card, tertiaryTextColor: c.text, tertiaryBorderColor: c.border,
        lineColor: c.text2, textColor: c.text, titleColor: c.text,
        mainBkg: c.accentSoft, nodeBorder: c.accent, clusterBkg: c.soft, clusterBorder: c.border,
        edgeLabelBackground: c.bg, noteBkgColor: c.soft, noteTextColor: c.text, noteBorderColor: c.border,
        actorBkg: c.accentSoft, actorBorder: c.accent, actorTextColor: c.text, signalColor: c.text2,
        signalTextColor: c.text, labelBoxBkgColor: c.soft, labelTextColor: c.text, loopTextColor: c.text,
      },
    });
  }
  const id = "mermaid-" + ++ids;
  let svg;
  try {
    ({ svg } = await mermaid.render(id, chart.source));
  } finally {
    document.getElementById("d" + id)?.remove();   // Mermaid's scratch element, left behind on errors
  }
  chart.canvas.innerHTML = svg;                     // sanitised by Mermaid (DOMPurify) under "strict"
  const el = chart.canvas.querySelector("svg");
  const label = ["title", "desc"].map((t) => el.querySelector(":scope > " + t)?.textContent.trim())
    .filter(Boolean).join(". ");
  if (label) {
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", label);
  }
}

/* ---------- Vega-Lite (and Vega) through vega-embed ---------- */
function vegaLoader(problems) {
  const loader = window.vega.loader({ baseURL: SITE_ROOT });
  const sanitize = loader.sanitize;
  loader.sanitize = async function (uri, options) {
    const result = await sanitize.call(loader, uri, options);
    if (!allowed(result.href, options && options.context === "href")) {
      const message = `not loaded: ${result.href} (a chart may load only this site's files)`;
      problems.push(message);
      throw new Error(message);
    }
    return result;
  };
  return loader;
}

function vegaLogger(problems) {
  let level = 0;
  return {
    level(l) { if (l === undefined) return level; level = l; return this; },
    error(...args) { problems.push(args.map(String).join(" ")); return this; },
    warn(...args) { console.warn("Vega:", ...args); return this; },
    info() { return this; },
    debug() { return this; },
  };
}

function vegaConfig(c) {
  const guide = { labelColor: c.text2, titleColor: c.text, labelFont: c.font, titleFont: c.font };
  return {
    background: "transparent",
    font: c.font,
    view: { stroke: c.borderSoft },
    title: { color: c.text, subtitleColor: c.text2, font: c.font, subtitleFont: c.font },
    axis: { ...guide, domainColor: c.border, tickColor: c.border, gridColor: c.borderSoft },
    legend: guide,
    header: guide,
    mark: { color: c.series[0] },
    range: { category: c.series },
    style: { "guide-label": { fill: c.text2 }, "guide-title": { fill: c.text }, "group-title": { fill: c.text } },
  };
}

async function drawVega(vegaEmbed, chart, c) {
  const spec = JSON.parse(chart.source);
  // vega-embed takes options from the spec (usermeta.embedOptions): they could turn the interpreter off.
  if (spec.usermeta && typeof spec.usermeta === "object") delete spec.usermeta.embedOptions;
  if (chart.view) chart.view.finalize();
  chart.canvas.replaceChildren();
  const problems = [];
  chart.view = await vegaEmbed(chart.canvas, spec, {
    ...(spec.$schema ? {} : { mode: "vega-lite" }),
    renderer: "svg",
    actions: false,
    ast: true,                        // expressions run in vega-interpreter, not through new Function
    loader: vegaLoader(problems),
    logger: vegaLogger(problems),
    config: vegaConfig(c),
    tooltip: { theme: c.dark ? "dark" : "light" },
  });
  return problems;
}

/* ---------- Plotly ---------- */
const PLOTLY_CONFIG = ["staticPlot", "scrollZoom", "displayModeBar", "modeBarButtonsToRemove", "doubleClick",
  "showTips", "showAxisDragHandles", "showAxisRangeEntryBoxes", "toImageButtonOptions", "autosizable"];

function plotlyLayout(layout, c) {
  const axis = { color: c.text2, gridcolor: c.borderSoft, linecolor: c.border, zerolinecolor: c.border };
  const ours = {
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: c.font, color: c.text }, title: { font: { color: c.text } },
    colorway: c.series, xaxis: axis, yaxis: axis,
    legend: { bgcolor: "rgba(0,0,0,0)" },
    hoverlabel: { bgcolor: c.card, bordercolor: c.border, font: { color: c.text, family: c.font } },
  };
  // The site's look over the spec's template (a notebook's figure carries Plotly's light one), under the
  // spec's own layout.
  const template = layout.template && typeof layout.template === "object" ? layout.template : {};
  return { ...layout, template: { data: template.data || {}, layout: merged(template.layout, ours) } };
}

function offSite(items, key, problems) {
  return (items || []).filter((item) => {
    const source = item && item[key];
    if (typeof source !== "string" || source.startsWith("data:")) return true;
    const url = new URL(source, SITE_ROOT).href;
    if (!allowed(url, false)) {
      problems.push(`not loaded: ${source} (a chart may load only this site's files)`);
      return false;
    }
    item[key] = url;
    return true;
  });
}

let plotlyTypes = null;   // the trace types this plotly.js build has

async function drawPlotly(Plotly, chart, c) {
  const spec = JSON.parse(chart.source);
  const problems = [];
  plotlyTypes = plotlyTypes || Object.keys(Plotly.PlotSchema.get().traces);
  const data = offSite(Array.isArray(spec.data) ? spec.data : [], "source", problems);
  const missing = [...new Set(data.map((t) => (t && t.type) || "scatter"))].filter((type) => !plotlyTypes.includes(type));
  if (missing.length) {
    throw new Error(`trace type ${missing.map((t) => `"${t}"`).join(", ")} is not in this site's plotly.js ` +
      `build, which draws ${plotlyTypes.join(", ")}`);
  }
  const layout = plotlyLayout(spec.layout && typeof spec.layout === "object" ? spec.layout : {}, c);
  layout.images = offSite(layout.images, "source", problems);
  const config = {};
  for (const key of PLOTLY_CONFIG) if (spec.config && key in spec.config) config[key] = spec.config[key];
  Object.assign(config, { responsive: true, displaylogo: false, showSendToCloud: false, plotlyServerURL: "",
    typesetMath: false });
  if (chart.plotted) await Plotly.react(chart.canvas, data, layout, config);
  else await Plotly.newPlot(chart.canvas, { data, layout, config, frames: spec.frames });
  chart.plotted = true;
  return problems;
}

/* ---------- Drawing and failing ---------- */
const DRAW = { mermaid: drawMermaid, "vega-lite": drawVega, plotly: drawPlotly };

function say(chart, title, message) {
  const figure = chart.figure;
  let box = figure.querySelector(":scope > .chart-error");
  if (!box) {
    box = document.createElement("p");
    box.className = "chart-error";
    figure.insertBefore(box, chart.canvas);
  }
  const strong = document.createElement("strong");
  strong.textContent = title;
  box.replaceChildren(strong, document.createTextNode(" " + message));
}

function fail(chart, error) {
  const figure = chart.figure;
  const message = String((error && error.message) || error).trim();
  figure.classList.remove("chart-pending", "chart-drawn");
  figure.classList.add("chart-failed");
  chart.canvas.replaceChildren();
  if (chart.view) chart.view.finalize();
  chart.view = null;
  chart.plotted = false;
  console.warn(`mlfolio: a ${NAMES[chart.kind]} could not be drawn:`, message);
  say(chart, `This ${NAMES[chart.kind]} could not be drawn.`, message);
}

async function draw(chart, c) {
  try {
    const problems = (await DRAW[chart.kind](await library(chart.kind), chart, c)) || [];
    chart.figure.classList.remove("chart-pending", "chart-failed");
    chart.figure.classList.add("chart-drawn");
    chart.figure.querySelector(":scope > .chart-error")?.remove();
    if (problems.length) say(chart, `Part of this ${NAMES[chart.kind]} is missing.`, [...new Set(problems)].join("\n"));
  } catch (error) {
    fail(chart, error);
  }
}

async function drawAll() {
  const c = palette();
  drawnDark = c.dark;
  const byKind = {};
  for (const chart of charts) (byKind[chart.kind] = byKind[chart.kind] || []).push(chart);
  // One kind after another within a kind (Mermaid renders one at a time), the kinds side by side.
  await Promise.all(Object.values(byKind).map(async (list) => {
    for (const chart of list) await draw(chart, c);
  }));
}

/* A chart is drawn when it comes within a screen or so of the viewport: its library (Plotly is 0.5 MB compressed)
   is fetched at low priority meanwhile (features/KIND.html), so neither the first paint nor the first scroll
   waits for running it. */
function start() {
  const found = [];
  for (const figure of document.querySelectorAll("figure.chart[data-chart]")) {
    const kind = figure.getAttribute("data-chart");
    const canvas = figure.querySelector(":scope > .chart-canvas");
    const carrier = kind === "mermaid" ? figure.querySelector(":scope .chart-source code")
      : figure.querySelector(':scope > script[type="application/json"]');
    if (!(kind in DRAW) || !canvas || !carrier || figure.classList.contains("chart-pending")) continue;
    figure.classList.add("chart-pending");
    found.push({ figure, kind, canvas, source: carrier.textContent, view: null, plotted: false });
  }
  if (!found.length) return;
  let queued = Promise.resolve();
  const redraw = () => {
    queued = queued.then(() => (isDark() !== drawnDark ? drawAll() : null));
  };
  const reveal = (chart) => {
    queued = queued.then(() => {
      charts.push(chart);
      const c = palette();
      if (drawnDark !== null && c.dark !== drawnDark) return drawAll();
      drawnDark = c.dark;
      return draw(chart, c);
    });
  };
  new MutationObserver(redraw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  media.addEventListener("change", redraw);
  if (!("IntersectionObserver" in window)) {
    found.forEach(reveal);
    return;
  }
  const near = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      near.unobserve(entry.target);
      reveal(found.find((chart) => chart.figure === entry.target));
    }
  }, { rootMargin: "800px 0px" });
  for (const chart of found) near.observe(chart.figure);
}

let started = false;
function startOnce() {
  if (!started) {
    started = true;
    start();
  }
}
if (document.readyState === "complete") startOnce();
else {
  document.addEventListener("DOMContentLoaded", startOnce);
  window.addEventListener("load", startOnce);
}
