"""A static server for audits that compresses text like GitHub Pages does (gzip), so Lighthouse measures what
visitors download: python scripts/serve_gzip.py FOLDER PORT."""
import functools
import gzip
import http.server
import sys

TEXT = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt")


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Gzip(Handler):
    def do_GET(self):
        path = self.translate_path(self.path)
        if path.endswith("/"):
            path += "index.html"
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.endswith(TEXT):
            try:
                with open(path, "rb") as f:
                    body = gzip.compress(f.read(), 6)
            except OSError:
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


if __name__ == "__main__":
    folder, port = sys.argv[1], int(sys.argv[2])
    http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Gzip, directory=folder)).serve_forever()
