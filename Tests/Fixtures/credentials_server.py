#!/usr/bin/env python3
"""The credential endpoints AWS runs outside its APIs, for ncaas tests. Loopback only.

  GET  /container/<anything>        the container credentials endpoint (ECS task role, EKS pod
                                    identity): needs `Authorization: <container token>` when one
                                    is configured; answers AccessKeyId, SecretAccessKey, [Token],
                                    Expiration
  GET  /federation/credentials?account_id=&role_name=
                                    the IAM Identity Center portal's GetRoleCredentials: needs
                                    `x-amz-sso_bearer_token: <sso access token>` and the
                                    configured account and role; answers {"roleCredentials": ...}
                                    with the expiration in milliseconds; 401 otherwise
  POST /token                       SSO OIDC CreateToken with grantType refresh_token: needs the
                                    configured refresh token; answers a new access token (which
                                    the portal then accepts)

Every credential answer hands out the next key of the configured list, in turn, valid for
`lifetime` seconds. Prints {"port": N} on stdout once listening, then answers commands, one
JSON line each on stdin:
  {"op": "configure", "keys": [{"accessKeyId", "secretAccessKey", "sessionToken"?}...],
   "lifetime": seconds, "containerToken"?: str, "ssoAccessToken"?: str, "ssoAccount"?: str,
   "ssoRole"?: str, "refreshToken"?: str, "refreshedAccessToken"?: str, "refreshedExpiresIn"?: n}
     -> {"ok": true}
  {"op": "requests"} -> {"ok": true, "requests": [{"method", "path", "authorization", "ssoToken"}]}
and exits when stdin closes.
"""
import datetime
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"keys": [], "lifetime": 3600, "handed": 0, "requests": []}
LOCK = threading.Lock()


def next_key():
    with LOCK:
        keys = STATE["keys"]
        if not keys:
            return None, None
        key = keys[STATE["handed"] % len(keys)]
        STATE["handed"] += 1
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=STATE["lifetime"])
        return key, expires


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("credentials_server: %s\n" % (format % args))

    def reply(self, status, answer):
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def remember(self):
        with LOCK:
            STATE["requests"].append({"method": self.command, "path": self.path,
                                      "authorization": self.headers.get("Authorization"),
                                      "ssoToken": self.headers.get("x-amz-sso_bearer_token")})

    def do_GET(self):
        self.remember()
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/container/"):
            return self.container()
        if url.path == "/federation/credentials":
            return self.role_credentials(urllib.parse.parse_qs(url.query))
        self.reply(404, {"message": "no such endpoint"})

    def container(self):
        wanted = STATE.get("containerToken")
        if wanted is not None and self.headers.get("Authorization") != wanted:
            return self.reply(401, {"message": "wrong or missing authorization token"})
        key, expires = next_key()
        if key is None:
            return self.reply(500, {"message": "no keys configured"})
        answer = {"AccessKeyId": key["accessKeyId"], "SecretAccessKey": key["secretAccessKey"],
                  "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if key.get("sessionToken"):
            answer["Token"] = key["sessionToken"]
        self.reply(200, answer)

    def role_credentials(self, query):
        if self.headers.get("x-amz-sso_bearer_token") != STATE.get("ssoAccessToken"):
            return self.reply(401, {"message": "Session token not found or invalid"})
        if query.get("account_id") != [STATE.get("ssoAccount")] or query.get("role_name") != [STATE.get("ssoRole")]:
            return self.reply(403, {"message": "No access"})
        key, expires = next_key()
        if key is None:
            return self.reply(500, {"message": "no keys configured"})
        role = {"accessKeyId": key["accessKeyId"], "secretAccessKey": key["secretAccessKey"],
                "expiration": int(expires.timestamp() * 1000)}
        if key.get("sessionToken"):
            role["sessionToken"] = key["sessionToken"]
        self.reply(200, {"roleCredentials": role})

    def do_POST(self):
        self.remember()
        length = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(length)
        if urllib.parse.urlsplit(self.path).path != "/token":
            return self.reply(404, {"message": "no such endpoint"})
        try:
            request = json.loads(body)
        except ValueError:
            return self.reply(400, {"error": "invalid_request"})
        if request.get("grantType") != "refresh_token" or request.get("refreshToken") != STATE.get("refreshToken"):
            return self.reply(400, {"error": "invalid_grant"})
        with LOCK:
            STATE["ssoAccessToken"] = STATE.get("refreshedAccessToken")
        self.reply(200, {"accessToken": STATE.get("refreshedAccessToken"), "tokenType": "Bearer",
                         "expiresIn": STATE.get("refreshedExpiresIn", 28800), "refreshToken": STATE.get("refreshToken")})


def answer(line):
    command = json.loads(line)
    if command.get("op") == "configure":
        with LOCK:
            for name, value in command.items():
                if name != "op":
                    STATE[name] = value
        return {"ok": True}
    if command.get("op") == "requests":
        with LOCK:
            return {"ok": True, "requests": list(STATE["requests"])}
    raise ValueError("unknown op %r" % command.get("op"))


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(json.dumps({"port": server.server_address[1]}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            reply = answer(line)
        except Exception as error:  # report every failure to the caller, keep serving
            reply = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
