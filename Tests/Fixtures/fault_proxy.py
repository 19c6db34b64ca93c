#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for ncaas tests. Loopback only.

Listens on 127.0.0.1 (port 0 = ephemeral), forwards requests to a loopback upstream
(headers as received, including Host, so SigV4 signatures still match), and applies a
queue of faults: each request takes the first queued fault whose "match" (a substring of
"METHOD /path?query") fits, or passes through when none does.

Fault kinds (JSON objects, "kind" plus options):
  {"kind": "pass"}                                  forward unchanged
  {"kind": "status503", "retryAfter": "1"}          503, optional Retry-After; not forwarded
  {"kind": "throttle400"}                           400 with a query-protocol Throttling error (S3: 503 SlowDown,
                                                    as S3 throttles); not forwarded
  {"kind": "status429", "retryAfter": "1"}          429, optional Retry-After; not forwarded
  {"kind": "resetHeaders"}                          half a status line and headers, then a TCP reset; not forwarded
  {"kind": "resetBody"}                             forwarded; the upstream headers and half its body, then a TCP reset
  {"kind": "drop"}                                  close the connection without a byte; not forwarded
  {"kind": "delay", "seconds": 2}                   wait (at most 60 s), then forward
  {"kind": "error", "status": 403, "code": "AccessDenied"}
                                                    that status with a query-protocol error of that code; not forwarded
Any fault may carry "match": "PUT /bucket" to apply only to requests containing that text (the
text is "METHOD /path?query", followed by the body of a form-encoded POST, so "Action=CreateTags"
matches a query-protocol call).

Besides the queue, faults can be drawn at random for every request the queue does not claim
(op "rates"), and the proxy can refuse requests signed too far from its own clock with a 403
RequestTimeTooSkewed, as S3 does (op "clock").

Prints {"port": N} on stdout once listening. Then reads commands, one JSON line each on
stdin, and answers each with one JSON line on stdout:
  {"op": "faults", "faults": [...]}   replace the queue
  {"op": "stats"}                     {"ok": true, "count": N, "requests": [{"method", "target", "fault"}]}
  {"op": "reset"}                     clear the queue, the rates, the clock check and the request log
  {"op": "rates", "rates": {"status503": 0.1, ...}, "seed": 1, "spare": ["Action=RunInstances"]}
                                      draw each unclaimed request's fault with these probabilities; a
                                      request matching a "spare" text is never reset after forwarding
  {"op": "clock", "maxSkew": 900}     refuse requests whose X-Amz-Date is further than this from now
Exits when stdin closes.
"""
import argparse
import calendar
import random
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_BODY = 1 << 30            # refuse request bodies over 1 GiB
MAX_LOG = 10000               # requests remembered for "stats"
MAX_DELAY = 60.0
KINDS = {"pass", "status503", "throttle400", "status429", "resetHeaders", "resetBody", "drop", "delay", "error"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "trailer", "upgrade", "expect"}


class State:
    """The fault queue and the request log, shared by the handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []
        self.log = []
        self.count = 0
        self.rates = {}
        self.random = random.Random()
        self.max_skew = None
        self.spare = []

    def set_rates(self, rates, seed, spare=()):
        for kind in rates:
            if kind not in KINDS:
                raise ValueError("unknown fault kind %r" % kind)
        if sum(rates.values()) > 1:
            raise ValueError("the rates add up to more than 1")
        with self.lock:
            self.rates = dict(rates)
            self.random = random.Random(seed)
            self.spare = list(spare)

    def set_faults(self, faults):
        for fault in faults:
            if fault.get("kind") not in KINDS:
                raise ValueError("unknown fault kind %r" % fault.get("kind"))
        with self.lock:
            self.faults = list(faults)

    def take(self, method, target, text):
        """Records the request and returns the fault to apply to it."""
        line = "%s %s %s" % (method, target, text)
        with self.lock:
            fault = {"kind": "pass"}
            for index, candidate in enumerate(self.faults):
                if candidate.get("match", "") in line:
                    fault = self.faults.pop(index)
                    break
            else:
                draw = self.random.random()
                for kind, rate in sorted(self.rates.items()):
                    if draw < rate:
                        fault = {"kind": kind}
                        break
                    draw -= rate
                if fault["kind"] == "resetBody" and any(text in line for text in self.spare):
                    fault = {"kind": "pass"}
            self.count += 1
            self.log.append({"method": method, "target": target, "fault": fault["kind"]})
            del self.log[:-MAX_LOG]
            return fault

    def stats(self):
        with self.lock:
            return {"ok": True, "count": self.count, "requests": list(self.log)}

    def reset(self):
        with self.lock:
            self.faults, self.log, self.count, self.rates, self.max_skew = [], [], 0, {}, None


def error_xml(code, message, kind="Sender"):
    return (
        "<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
        "<RequestId>%s</RequestId></ErrorResponse>" % (kind, code, message, uuid.uuid4())
    ).encode()


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ncaas-fault-proxy"

    def log_message(self, format, *args):  # keep stderr quiet: one line per request
        sys.stderr.write("fault_proxy: %s\n" % (format % args))

    def do_any(self):
        body = self.read_body()
        if body is None:
            return
        form = "x-www-form-urlencoded" in self.headers.get("Content-Type", "")
        text = body[:4000].decode("utf-8", "replace") if form else ""
        skew = self.skew()
        if skew is not None:
            self.server.state.take(self.command, self.path, text)
            self.send_canned(403, error_xml("RequestTimeTooSkewed",
                                            "The difference between the request time and the current time is too large (%d s)." % skew), None)
            return
        fault = self.server.state.take(self.command, self.path, text)
        kind = fault["kind"]
        if kind == "status503":
            self.send_canned(503, error_xml("ServiceUnavailable", "Service unavailable", "Receiver"), fault.get("retryAfter"))
        elif kind == "throttle400" and not (form or "Action=" in self.path):
            # S3 (REST) slows callers down with 503 SlowDown, never a 400 (a HEAD has no body to say why).
            self.send_canned(503, error_xml("SlowDown", "Please reduce your request rate."), None)
        elif kind == "throttle400":
            self.send_canned(400, error_xml("Throttling", "Rate exceeded"), None)
        elif kind == "error":
            code = fault.get("code", "InternalError")
            self.send_canned(int(fault.get("status", 500)), error_xml(code, fault.get("message", "injected " + code)), None)
        elif kind == "status429":
            self.send_canned(429, error_xml("TooManyRequestsException", "Too many requests"), fault.get("retryAfter"))
        elif kind == "resetHeaders":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n"
            self.wfile.write(head[: len(head) // 2])
            self.reset_connection()
        elif kind == "drop":
            self.close_connection = True
            self.connection.close()
        else:
            if kind == "delay":
                time.sleep(min(float(fault.get("seconds", 1)), MAX_DELAY))
            self.forward(body, cut_in_half=(kind == "resetBody"))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_any

    def skew(self):
        """Seconds between the request's X-Amz-Date and now, when the clock check refuses it."""
        limit = self.server.state.max_skew
        stamp = self.headers.get("X-Amz-Date")
        if limit is None or not stamp:
            return None
        try:
            sent = calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ"))
        except ValueError:
            return None
        difference = int(abs(sent - time.time()))
        return difference if difference > limit else None

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_canned(501, error_xml("NotImplemented", "chunked request bodies are not supported"), None)
            return None
        length = int(self.headers.get("Content-Length", "0") or "0")
        if length > MAX_BODY:
            self.send_canned(413, error_xml("EntityTooLarge", "body over the proxy's limit"), None)
            return None
        return self.rfile.read(length) if length else b""

    def send_canned(self, status, body, retry_after):
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def forward(self, body, cut_in_half):
        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=120)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    upstream.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body if body else None)
            response = upstream.getresponse()
            payload = response.read()
            head = ["HTTP/1.1 %d %s" % (response.status, response.reason)]
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    head.append("%s: %s" % (name, value))
            length = response.getheader("Content-Length") if self.command == "HEAD" else str(len(payload))
            if length is not None:
                head.append("Content-Length: %s" % length)
            raw_head = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        finally:
            upstream.close()
        if self.command == "HEAD":
            payload = b""
        if cut_in_half:
            self.wfile.write(raw_head + payload[: len(payload) // 2] if payload else raw_head[: len(raw_head) // 2])
            self.reset_connection()
        else:
            self.wfile.write(raw_head + payload)

    def reset_connection(self):
        """Closes with SO_LINGER 0, so the peer sees a TCP reset rather than an orderly close."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            self.connection.close()


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a reset we caused is not news
        sys.stderr.write("fault_proxy: error serving %s: %s\n" % (client_address, sys.exc_info()[1]))


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--faults", default="[]", help="initial fault queue, JSON")
    args = parser.parse_args()

    upstream = urlsplit(args.upstream)
    if upstream.scheme != "http" or upstream.hostname not in LOOPBACK_HOSTS or upstream.port is None:
        sys.exit("fault_proxy: upstream must be http://<loopback>:<port>, got %r" % args.upstream)

    server = ProxyServer(("127.0.0.1", args.port), ProxyHandler)
    server.state = State()
    server.state.set_faults(json.loads(args.faults))
    server.upstream_host, server.upstream_port = upstream.hostname, upstream.port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    reply({"port": server.server_address[1]})

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            command = json.loads(line)
            op = command.get("op")
            if op == "faults":
                server.state.set_faults(command.get("faults", []))
                reply({"ok": True})
            elif op == "stats":
                reply(server.state.stats())
            elif op == "reset":
                server.state.reset()
                reply({"ok": True})
            elif op == "rates":
                server.state.set_rates(command.get("rates", {}), command.get("seed"), command.get("spare", []))
                reply({"ok": True})
            elif op == "clock":
                server.state.max_skew = command.get("maxSkew")
                reply({"ok": True})
            else:
                raise ValueError("unknown op %r" % op)
        except Exception as error:
            reply({"ok": False, "error": "%s: %s" % (type(error).__name__, error)})
    os._exit(0)


if __name__ == "__main__":
    main()
