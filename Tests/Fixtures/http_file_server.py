#!/usr/bin/env python3
"""A tiny HTTP/1.1 file server for the libcurl smoke tests. Loopback only.

  GET  /<name>   the file <dir>/<name> (404 if missing)
  PUT  /<name>   stores the body as <dir>/<name>; replies {"bytes": n, "sha256": "..."}
  POST /echo     replies with JSON: the method, the request headers and the body length
  GET  /redirect 302 to /a (for checking that redirects are not followed)
  GET  /continue sends "100 Continue" (with X-Interim: yes), then 200 with X-Final: yes

Prints {"port": N} on stdout once listening; exits when stdin closes.
"""
import argparse
import hashlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("http_file_server: %s\n" % (format % args))

    def path_in_dir(self):
        name = os.path.basename(self.path.split("?", 1)[0])
        return os.path.join(self.server.directory, name) if name else None

    def reply(self, status, body, content_type="application/octet-stream", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        if self.path == "/redirect":
            return self.reply(302, b"", extra=[("Location", "/a")])
        if self.path == "/continue":
            self.send_response_only(100)
            self.send_header("X-Interim", "yes")
            self.end_headers()
            return self.reply(200, b"after continue", extra=[("X-Final", "yes")])
        path = self.path_in_dir()
        if not path or not os.path.isfile(path):
            return self.reply(404, b"no such file", "text/plain")
        with open(path, "rb") as file:
            self.reply(200, file.read())

    do_HEAD = do_GET

    def read_body(self):
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length)

    def do_PUT(self):
        body = self.read_body()
        path = self.path_in_dir()
        if not path:
            return self.reply(400, b"no file name", "text/plain")
        with open(path, "wb") as file:
            file.write(body)
        answer = {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        self.reply(200, json.dumps(answer).encode(), "application/json")

    def do_POST(self):
        body = self.read_body()
        answer = {"method": self.command, "headers": [[k, v] for k, v in self.headers.items()], "bytes": len(body),
                  "sha256": hashlib.sha256(body).hexdigest()}
        self.reply(200, json.dumps(answer).encode(), "application/json")

    do_DELETE = do_PATCH = do_POST


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.directory = args.dir
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(json.dumps({"port": server.server_address[1]}) + "\n")
    sys.stdout.flush()
    for _ in sys.stdin:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
