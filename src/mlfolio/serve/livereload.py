"""Live reload: the script added to served pages, and the channel that tells open tabs what each build did."""
from __future__ import annotations

import json
import os
import queue
import threading
import time
from typing import Generator

EVENTS_PATH = "/__mlfolio/events"    # the Server-Sent Events stream
PING_SECONDS = 15.0                  # keep-alive comment on idle event streams
TICK_SECONDS = 1.0                   # how often an idle stream yields b"" so the server can notice a closed tab
RETRY = b"retry: 500\n\n"            # how soon a tab reconnects after the stream drops (ms)
PING = b": ping\n\n"

# The browser side of live reload. %(build)s and %(events)s are filled in per response.
# Problem text reaches the page only through textContent (never innerHTML).
LIVERELOAD_JS = r"""
(function () {
  if (!window.EventSource || window.__mlfolioLiveReload) return;
  window.__mlfolioLiveReload = true;
  var build = %(build)s, overlay = null;
  function hideOverlay() { if (overlay) { overlay.remove(); overlay = null; } }
  function showOverlay(lines) {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.id = "mlfolio-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f4f4f5;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
    var box = document.createElement("div");
    box.style.cssText = "max-width:60rem;margin:0 auto;";
    var h = document.createElement("h2");
    h.style.cssText = "margin:0 0 1rem;font:bold 20px/1.3 system-ui,sans-serif;color:#fca5a5;";
    h.textContent = "mlfolio: the site did not build";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;word-break:break-word;margin:0 0 1rem;padding:1rem;" +
      "background:#000;border-left:4px solid #ef4444;color:#fecaca;";
    pre.textContent = lines.join("\n");
    var p = document.createElement("p");
    p.style.cssText = "margin:0;color:#d4d4d8;font-family:system-ui,sans-serif;";
    p.textContent = "The last good build is still served. Fix the file and save: this page reloads by itself.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:1rem;padding:.3rem .9rem;font:inherit;cursor:pointer;";
    close.onclick = hideOverlay;
    box.appendChild(h); box.appendChild(pre); box.appendChild(p); box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }
  function swapStyles(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]'), swapped = 0, stamp = Date.now();
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin || paths.indexOf(url.pathname) < 0) continue;
      url.searchParams.set("mlfolio-reload", stamp);
      links[i].href = url.href;
      swapped++;
    }
    return swapped > 0;
  }
  var source = new EventSource(%(events)s);
  function data(e) { try { return JSON.parse(e.data); } catch (err) { return {}; } }
  source.addEventListener("hello", function (e) {
    var d = data(e);
    if (d.build !== build) location.reload(); else hideOverlay();
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function (e) {
    var d = data(e);
    hideOverlay();
    if (swapStyles(d.paths || [])) build = d.build; else location.reload();
  });
  source.addEventListener("build-error", function (e) { showOverlay(data(e).problems || []); });
  window.__mlfolioEvents = source;
})();
"""



def sse(event: str, data: dict) -> bytes:
    """One Server-Sent Event."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


class ReloadChannel:
    """Which build the open pages show, the problems of the last build, and the event streams that tell them.

    Events: `hello` (the current build, on connect), `reload`, `css` (only stylesheets changed: swapped in
    place) and `build-error` (the problem lines, shown as an overlay while the last good site stays served).
    """

    def __init__(self):
        self.last_error: list[str] | None = None
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self._closed = False
        self._token = f"{os.getpid():x}{int(time.time() * 1000) % 10**8:x}"
        self._generation = 0

    @property
    def build_id(self) -> str:
        return f"{self._token}-{self._generation}"

    def subscribe(self) -> queue.Queue:
        """A new client queue, holding first the current state (so a page opened while broken shows why)."""
        client: queue.Queue = queue.Queue()
        with self._lock:
            if self._closed:
                client.put(None)
            elif self.last_error is not None:
                client.put(sse("build-error", {"build": self.build_id, "problems": self.last_error}))
            else:
                client.put(sse("hello", {"build": self.build_id}))
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(client)

    def _broadcast(self, msg: bytes | None) -> None:
        """Queues msg for every open stream (None ends them); the caller holds the lock."""
        for client in self._clients:
            client.put(msg)

    def stream(self) -> Generator[bytes, None, None]:
        """One tab's event stream: the state, then every event, a ping when idle; ends when the channel closes.
        Every TICK_SECONDS of quiet it yields b"", nothing to send: the server then checks whether the tab is
        still there, so a closed tab frees its thread in a second rather than at the next event or ping."""
        client = self.subscribe()
        try:
            msg = client.get()
            if msg is None:
                return
            yield RETRY + msg
            sent = time.monotonic()
            while True:
                try:
                    msg = client.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    msg = PING if time.monotonic() - sent >= PING_SECONDS else b""
                if msg is None:
                    return
                if msg:
                    sent = time.monotonic()
                yield msg
        finally:
            self.unsubscribe(client)

    def failed(self, problems: list[str]) -> None:
        """A build failed: every tab shows the problems over the last good page."""
        with self._lock:
            self.last_error = problems
            self._broadcast(sse("build-error", {"build": self.build_id, "problems": problems}))

    def built(self, changed_urls: list[str]) -> None:
        """A build succeeded: tabs swap stylesheets when only those changed, else reload; nothing when nothing
        changed, unless they show an error or this was the first build."""
        with self._lock:
            was_broken = self.last_error is not None
            self.last_error = None
            if not (changed_urls or was_broken or self._generation == 0):
                return
            self._generation += 1
            css = [url for url in changed_urls if url.endswith(".css")]
            if changed_urls and len(css) == len(changed_urls) and not was_broken:
                self._broadcast(sse("css", {"build": self.build_id, "paths": css}))
            else:
                self._broadcast(sse("reload", {"build": self.build_id}))

    def close(self) -> None:
        """Ends every stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            self._broadcast(None)

    def inject(self, html: bytes) -> bytes:
        """The HTML with the reload script before its last </body> (only in responses, never on disk)."""
        script = LIVERELOAD_JS % {"build": json.dumps(self.build_id), "events": json.dumps(EVENTS_PATH)}
        tag = b'<script data-mlfolio-livereload>' + script.encode() + b"</script>\n"
        i = html.lower().rfind(b"</body>")
        return html[:i] + tag + html[i:] if i >= 0 else html + tag
