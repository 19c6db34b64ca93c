#!/usr/bin/env python3
"""moto on a loopback port with signature and IAM checks on, for ncaas tests.

Started by TestSupport's MotoServer as a child process. With --no-auth it skips the checks and
the bootstrap (for the few requests moto cannot verify, and its instance metadata service) and
reports placeholder credentials. Otherwise it:
  1. binds moto's WSGI app to 127.0.0.1 (port 0 = an ephemeral port, chosen race-free),
  2. makes exactly BOOTSTRAP_ACTIONS unauthenticated AWS calls (moto lets the first
     INITIAL_NO_AUTH_ACTION_COUNT actions through unchecked, then checks every request):
     CreateUser, PutUserPolicy (allow everything), CreateAccessKey,
  3. prints one JSON line on stdout: {"port": ..., "admin": {"userName", "accessKeyId",
     "secretAccessKey"}},
  4. then answers commands, one JSON line each on stdin, with one JSON line on stdout:
       {"op": "create_user", "name": "...", "policy": "<policy JSON>"}
         -> {"ok": true, "userName", "accessKeyId", "secretAccessKey"}   (made with the admin key)
     and exits when stdin closes (so it never outlives the test process).
"""
import argparse
import json
import os
import sys
import threading

# moto reads this when it is imported: the bootstrap below makes exactly this many actions.
BOOTSTRAP_ACTIONS = 3
CHECKS_AUTH = "--no-auth" not in sys.argv
if CHECKS_AUTH:
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(BOOTSTRAP_ACTIONS)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

REGION = "us-east-1"


def verify_s3_signatures_against_the_raw_uri():
    """moto 5.2 checks an S3 signature against the percent-decoded path and query, while
    S3 clients (boto3 and ncaas alike) sign the encoded ones, so any key holding `:` or a
    prefix holding `/` fails with SignatureDoesNotMatch even when signed correctly (measured
    with boto3). S3's canonical URI is the path as sent, not normalised, so the check here is
    made on the request's raw URI, which is what AWS itself verifies."""
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.responses import BaseResponse

    setup_class = BaseResponse.setup_class

    def remember_raw_uri(self, request, full_url, headers, *args, **kwargs):
        self._ncaas_raw_uri = getattr(request, "environ", {}).get("RAW_URI")
        return setup_class(self, request, full_url, headers, *args, **kwargs)

    authorize_s3 = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action

    def authorize_on_raw_uri(self, *args, **kwargs):
        raw = getattr(self, "_ncaas_raw_uri", None)
        if not raw:
            return authorize_s3(self, *args, **kwargs)
        decoded, self.uri = self.uri, raw
        try:
            return authorize_s3(self, *args, **kwargs)
        finally:
            self.uri = decoded

    BaseResponse.setup_class = remember_raw_uri
    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = authorize_on_raw_uri


def let_unsigned_sts_federation_through():
    """AWS takes AssumeRoleWithWebIdentity and AssumeRoleWithSAML unsigned (the token or
    assertion is the proof) and moto routes them, but with checks on it fails them with a 500
    for lacking a signature. They are let through unchecked, as AWS does."""
    from moto.core.authorization import ActionAuthenticatorMixin

    authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action

    def authorize_unless_unsigned_federation(self, *args, **kwargs):
        if "Authorization" not in self.headers and self._get_action() in ("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"):
            return None
        return authorize(self, *args, **kwargs)

    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = authorize_unless_unsigned_federation


ALLOW_ALL = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
})


def iam_client(endpoint, access_key_id, secret_access_key):
    return boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=Config(retries={"max_attempts": 1}),
    )


def create_user(iam, name, policy):
    """Three IAM actions: the user, its inline policy, its access key."""
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=name + "-policy", PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"userName": name, "accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--admin-user", default="ncaas-test-admin")
    parser.add_argument("--no-auth", action="store_true", help="no signature or IAM checks, no bootstrap")
    args = parser.parse_args()

    if CHECKS_AUTH:
        verify_s3_signatures_against_the_raw_uri()
        let_unsigned_sts_federation_through()
    server = make_server("127.0.0.1", args.port, DomainDispatcherApplication(create_backend_app), threaded=True)
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = "http://127.0.0.1:%d" % port

    if not CHECKS_AUTH:
        reply({"port": port, "admin": {"userName": "", "accessKeyId": "AKIAUNCHECKED0000000", "secretAccessKey": "unchecked"}})
        sys.stdin.read()  # serve until the test process closes our stdin
        os._exit(0)

    # The bootstrap calls are not checked, so any key id works for them.
    admin = create_user(iam_client(endpoint, "bootstrap", "bootstrap"), args.admin_user, ALLOW_ALL)
    admin_iam = iam_client(endpoint, admin["accessKeyId"], admin["secretAccessKey"])
    reply({"port": port, "admin": admin})

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            command = json.loads(line)
            if command.get("op") != "create_user":
                raise ValueError("unknown op %r" % command.get("op"))
            reply(dict(ok=True, **create_user(admin_iam, command["name"], command["policy"])))
        except Exception as error:  # report every failure to the caller, keep serving
            reply({"ok": False, "error": "%s: %s" % (type(error).__name__, error)})
    os._exit(0)


if __name__ == "__main__":
    main()
