"""python3 -m ncaas_emulator: the local cloud's AWS endpoint.

Binds moto's WSGI application on loopback (port 0: an ephemeral port, chosen race-free), extends
moto (see moto_hooks), makes the bootstrap user in-process (so that every HTTP request is checked
for its signature and IAM policy, the first included), and prints one JSON line on stdout:
  {"port", "endpoint", "region", "sshPort", "metadataPort", "user": {"userName", "accessKeyId", "secretAccessKey"}}
Then it serves until SIGTERM or SIGINT, or with --exit-with-stdin until stdin closes (so that a test's
endpoint never outlives the test process), reading one JSON command per line meanwhile:
  {"op": "create_user", "name", "policy"}  -> {"ok": true, "userName", "accessKeyId", "secretAccessKey"}
  {"op": "interrupt", "instance", "after"}  -> {"ok": true}  (a spot interruption notice, then termination)
On the way out it removes every instance container it started.
A small control API answers on the same port under /_ncaas/, without credentials (it is the
emulator's console, not AWS's):
  GET  /_ncaas/instances                   -> {"instances": [{"instanceId", "state", "address"}]}
  POST /_ncaas/interrupt?instance=ID&after=SECONDS   (`ncaas local interrupt`)
  POST /_ncaas/spot-capacity?available=true|false    spot launches refused with InsufficientInstanceCapacity
       while false (see spot_market)
  POST /_ncaas/capacity?zone=ZONE&available=true|false   every launch placed in ZONE refused with
       InsufficientInstanceCapacity while false
  POST /_ncaas/import-image?reference=PODMAN_IMAGE&name=NAME&login-user=USER  -> {"imageId"}
       an AMI of this account backed by an existing podman image (what EC2's ImportImage does
       with a disk image); the tests keep an image they built this way
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import threading
from typing import Any, Callable
from urllib.parse import parse_qs

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 -m ncaas_emulator", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--state-folder", required=True, help="instances' seeds, host keys and consoles")
    parser.add_argument("--base-image", default="localhost/ncaas-base:bookworm")
    parser.add_argument("--podman-options", help="the JSON file of podman options ncaas detected for this machine")
    parser.add_argument("--ssh-port", type=int, default=22, help="the port sshd listens on, on each instance's address")
    parser.add_argument("--user", default="ncaas-local", help="the bootstrap IAM user")
    parser.add_argument("--policy-file", help="the bootstrap user's policy (JSON); default: everything allowed")
    parser.add_argument("--no-auth", action="store_true", help="no signature or IAM checks")
    parser.add_argument("--no-default-vpc", action="store_true", help="an account without a default VPC")
    parser.add_argument("--exit-with-stdin", action="store_true", help="serve until stdin closes; read commands from it")
    return parser.parse_args()


ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def reply(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    arguments = parse_arguments()
    os.makedirs(arguments.state_folder, exist_ok=True)
    # moto reads its settings when imported.
    from . import catalogue
    amis = os.path.join(arguments.state_folder, "amis.json")
    catalogue.write_moto_amis(amis)
    os.environ["MOTO_AMIS_PATH"] = amis
    os.environ["MOTO_ENABLE_AMI_VALIDATION"] = "true"
    os.environ["MOTO_ENABLE_KEYPAIR_VALIDATION"] = "true"
    if not arguments.no_auth:
        os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    from . import accounts, moto_hooks, spot_market
    from .machines import Machines, Settings

    if not arguments.no_auth:
        accounts.verify_s3_signatures_against_the_raw_uri()
        accounts.s3_actions_as_iam_names_them()
        accounts.let_unsigned_sts_federation_through()
        accounts.resources_as_aws_names_them()
    application = DomainDispatcherApplication(create_backend_app)
    holder: dict[str, Machines] = {}
    server = make_server(arguments.host, arguments.port, control(application, holder), threaded=True)
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)
    endpoint = f"http://{arguments.host}:{port}"
    trust = "/etc/ssl/certs/ca-certificates.crt"
    settings = Settings(endpoint=endpoint, region=arguments.region, state_folder=arguments.state_folder,
                        guest_folder=os.path.join(HERE, "guest"), base_image=arguments.base_image,
                        ssh_port=arguments.ssh_port, metadata_port=free_port(arguments.host),
                        podman_options_file=arguments.podman_options,
                        trust_bundle=trust if os.path.exists(trust) else None)
    machines = Machines(settings, accounts.assume_role(arguments.region))
    holder["machines"] = machines
    holder["spot"] = spot_market.SpotMarket()
    spot_market.install(holder["spot"])  # before moto_hooks: a repeated ClientToken is answered first
    moto_hooks.install(machines, default_vpc=not arguments.no_default_vpc)
    threading.Thread(target=server.serve_forever, name="endpoint", daemon=True).start()

    policy = ALLOW_ALL
    if arguments.policy_file:
        with open(arguments.policy_file, encoding="utf-8") as handle:
            policy = handle.read()
    user = accounts.create_user(arguments.user, policy, arguments.region)
    reply({"port": port, "endpoint": endpoint, "region": arguments.region, "sshPort": settings.ssh_port,
           "metadataPort": settings.metadata_port, "user": user,
           "aliases": {image.alias: image.image_id for image in catalogue.BASE_IMAGES}})

    def finish(*_: Any) -> None:
        machines.close()
        os._exit(0)

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    if arguments.exit_with_stdin:
        for line in sys.stdin:
            if line.strip():
                reply(command(line, machines, arguments.region))
        finish()
    while True:
        signal.pause()


def command(line: str, machines: Any, region: str) -> dict[str, Any]:
    from . import accounts
    try:
        request = json.loads(line)
        if request.get("op") == "create_user":
            return dict(ok=True, **accounts.create_user(request["name"], request["policy"], region))
        if request.get("op") == "interrupt":
            return {"ok": machines.interrupt(request["instance"], float(request.get("after", 120)))}
        raise ValueError(f"unknown op {request.get('op')!r}")
    except Exception as error:  # every failure goes back to the caller; the endpoint keeps serving
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


def control(application: Callable[..., Any], holder: dict[str, Any]) -> Callable[..., Any]:
    """moto's application, with the emulator's own control paths under /_ncaas/."""
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_ncaas/"):
            return application(environ, start_response)
        query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        machines = holder.get("machines")
        status, body = "404 Not Found", {"ok": False, "error": "unknown control path"}
        if path == "/_ncaas/instances" and machines is not None:
            status, body = "200 OK", {"instances": [
                {"instanceId": machine.instance_id, "state": machine.instance.state, "address": machine.address}
                for machine in list(machines.machines.values())]}
        if path == "/_ncaas/import-image" and environ.get("REQUEST_METHOD") == "POST" and machines is not None:
            try:
                image_id = machines.import_image(query["reference"], query.get("name", query["reference"]), query.get("login-user", "ubuntu"))
                status, body = "200 OK", {"ok": True, "imageId": image_id}
            except Exception as error:  # a missing podman image, a bad query
                status, body = "400 Bad Request", {"ok": False, "error": f"{type(error).__name__}: {error}"}
        if path == "/_ncaas/interrupt" and environ.get("REQUEST_METHOD") == "POST" and machines is not None:
            try:
                done = machines.interrupt(query.get("instance", ""), float(query.get("after", "120")))
            except ValueError as error:
                status, body = "400 Bad Request", {"ok": False, "error": str(error)}
            else:
                status, body = ("200 OK", {"ok": True}) if done else ("409 Conflict", {"ok": False, "error": "no such running instance"})
        if path == "/_ncaas/spot-capacity" and environ.get("REQUEST_METHOD") == "POST" and "spot" in holder:
            value = query.get("available", "")
            if value in ("true", "false"):
                holder["spot"].capacity = value == "true"
                status, body = "200 OK", {"ok": True, "available": holder["spot"].capacity}
            else:
                status, body = "400 Bad Request", {"ok": False, "error": "available must be true or false"}
        if path == "/_ncaas/capacity" and environ.get("REQUEST_METHOD") == "POST" and "spot" in holder:
            zone, value = query.get("zone", ""), query.get("available", "")
            if zone and value in ("true", "false"):
                (holder["spot"].zones_without_capacity.discard if value == "true" else holder["spot"].zones_without_capacity.add)(zone)
                status, body = "200 OK", {"ok": True, "zonesWithoutCapacity": sorted(holder["spot"].zones_without_capacity)}
            else:
                status, body = "400 Bad Request", {"ok": False, "error": "zone must be named and available must be true or false"}
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]
    return app


if __name__ == "__main__":
    main()
