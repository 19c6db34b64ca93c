"""The instance metadata service, one per instance, on the instance's own address: IMDSv2 tokens,
meta-data, user-data, the instance identity document, and temporary credentials of the instance
profile's role (from moto's STS, so that the endpoint's IAM checks apply to them as on AWS).

IMDSv1 (no token) is answered unless the instance's metadata options require tokens, as on EC2.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .machines import Machine

TOKEN_HEADER = "X-aws-ec2-metadata-token"
TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"


def iso(moment: datetime) -> str:
    """moto's times are naive UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class MetadataService:
    """Serves one instance's metadata on (address, port) from a thread of its own."""

    def __init__(self, machine: "Machine", address: str, port: int,
                 credentials: Callable[["Machine"], dict[str, str] | None]) -> None:
        self.machine = machine
        self.tokens: dict[str, float] = {}
        self.credentials = credentials
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet, as a metadata service is
                pass

            def do_PUT(self) -> None:
                service.put(self)

            def do_GET(self) -> None:
                service.get(self)

        self.server = ThreadingHTTPServer((address, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"imds-{machine.instance_id}", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Replies

    @staticmethod
    def reply(handler: BaseHTTPRequestHandler, status: int, body: str, content_type: str = "text/plain") -> None:
        data = body.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def put(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.rstrip("/") != "/latest/api/token":
            return self.reply(handler, 404, "Not Found")
        try:
            ttl = int(handler.headers.get(TTL_HEADER, ""))
        except ValueError:
            return self.reply(handler, 400, "Bad Request")
        if not 1 <= ttl <= 21600:
            return self.reply(handler, 400, "Bad Request")
        token = secrets.token_urlsafe(32)
        now = time.time()
        self.tokens = {key: end for key, end in self.tokens.items() if end > now}
        self.tokens[token] = now + ttl
        handler.send_response(200)
        handler.send_header(TTL_HEADER, str(ttl))
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(token)))
        handler.end_headers()
        handler.wfile.write(token.encode())

    def get(self, handler: BaseHTTPRequestHandler) -> None:
        token = handler.headers.get(TOKEN_HEADER)
        if token is not None:
            if self.tokens.get(token, 0) < time.time():
                return self.reply(handler, 401, "Unauthorized")
        elif self.machine.tokens_required():
            return self.reply(handler, 401, "Unauthorized")
        path = handler.path.split("?", 1)[0]
        answer = self.answer(path)
        if answer is None:
            return self.reply(handler, 404, "Not Found")
        body, content_type = answer
        self.reply(handler, 200, body, content_type)

    def answer(self, path: str) -> tuple[str, str] | None:
        machine = self.machine
        if path in ("/latest/user-data", "/latest/user-data/"):
            data = machine.user_data
            return None if data is None else (data.decode("utf-8", "replace"), "application/octet-stream")
        if path.rstrip("/") == "/latest/dynamic/instance-identity/document":
            return json.dumps(machine.identity_document(), indent=2), "application/json"
        if not path.startswith("/latest/meta-data"):
            return None
        tree = self.tree()
        key = path[len("/latest/meta-data"):].strip("/")
        node: object = tree
        for part in [p for p in key.split("/") if p]:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        if callable(node):
            node = node()
            if node is None:
                return None
        if isinstance(node, dict):
            return "\n".join(name + ("/" if isinstance(value, dict) else "") for name, value in node.items()), "text/plain"
        if isinstance(node, (dict, list)):
            return json.dumps(node, indent=2), "text/plain"
        return str(node), "text/plain"

    def tree(self) -> dict[str, object]:
        machine = self.machine
        instance = machine.instance
        tree: dict[str, object] = {
            "ami-id": instance.image_id,
            "ami-launch-index": str(instance.ami_launch_index),
            "hostname": machine.hostname,
            "instance-id": machine.instance_id,
            "instance-type": instance.instance_type,
            "instance-life-cycle": "spot" if getattr(instance, "lifecycle", None) == "spot" else "on-demand",
            "local-hostname": machine.hostname,
            "local-ipv4": machine.address,
            "public-hostname": machine.address,
            "public-ipv4": machine.address,
            "placement": {"availability-zone": instance.placement, "region": machine.region},
            "security-groups": "\n".join(group.name for group in instance.security_groups),
        }
        if machine.public_key:
            tree["public-keys"] = {f"0={instance.key_name or 'key'}": {"openssh-key": machine.public_key.strip()}}
        role = machine.role_name()
        if role:
            tree["iam"] = {
                "info": lambda: json.dumps(machine.iam_info(), indent=2),
                "security-credentials": {role: lambda: self.role_credentials()},
            }
        if machine.interruption is not None:
            tree["spot"] = {"instance-action": json.dumps(machine.interruption), "termination-time": machine.interruption["time"]}
        return tree

    def role_credentials(self) -> str | None:
        credentials = self.credentials(self.machine)
        return None if credentials is None else json.dumps(credentials, indent=2)


class RoleCredentials:
    """Temporary credentials of an instance profile's role, made with moto's STS and handed out until
    15 minutes before they expire (as EC2 rotates them well before expiry)."""

    def __init__(self, assume: Callable[[str, str], tuple[str, str, str, datetime]]) -> None:
        self.assume = assume
        self.cache: dict[tuple[str, str], dict[str, str]] = {}
        self.lock = threading.Lock()

    def __call__(self, machine: "Machine") -> dict[str, str] | None:
        role_arn = machine.role_arn()
        if role_arn is None:
            return None
        key = (machine.instance_id, role_arn)
        with self.lock:
            cached = self.cache.get(key)
            if cached and datetime.fromisoformat(cached["Expiration"].replace("Z", "+00:00")) - datetime.now(timezone.utc) > timedelta(minutes=15):
                return cached
            access_key, secret, token, expiration = self.assume(role_arn, machine.instance_id)
            if expiration.tzinfo is None:
                expiration = expiration.replace(tzinfo=timezone.utc)
            made = {
                "Code": "Success", "LastUpdated": iso(datetime.now(timezone.utc)), "Type": "AWS-HMAC",
                "AccessKeyId": access_key, "SecretAccessKey": secret, "Token": token, "Expiration": iso(expiration),
            }
            self.cache[key] = made
            return made
