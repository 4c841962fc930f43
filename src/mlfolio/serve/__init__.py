"""`mlfolio serve`: build, serve the output folder, watch the sources, rebuild on change, reload the browser.

  http.py        the HTTP server: the output folder only, with the reload script added to HTML responses
  files.py       which file a URL names (never one outside the folder), and its MIME type
  hosts.py       which Host headers are answered: the guard against DNS rebinding
  connections.py limits against load and slow clients: listen backlog, request deadline, bounded threads
  livereload.py  the browser script and the event stream that tells open tabs to reload or show an error
  watch.py       watchdog on the sources, what to ignore, and the quiet period that batches a burst of saves
  builder.py     BuilderProcess: the Builder in a child process, so builds never fork a multi-threaded process
  devserver.py   DevServer, which ties them together
"""
from __future__ import annotations

from .builder import BuildCrashed, BuilderDied, BuilderProcess
from .devserver import DevServer
from .livereload import EVENTS_PATH

__all__ = ["BuildCrashed", "BuilderDied", "BuilderProcess", "DevServer", "EVENTS_PATH"]
