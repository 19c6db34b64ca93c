"""Who may call the endpoint: IAM users made in-process (so that every HTTP request, the first
included, is checked for its signature and its IAM policy, as on AWS), and moto's S3 signature check
made on the raw request URI, as AWS makes it."""
from __future__ import annotations

from typing import Any

ACCOUNT_ID = "123456789012"
PARTITION = "aws"


def iam() -> Any:
    from moto.iam.models import iam_backends
    return iam_backends[ACCOUNT_ID][PARTITION]


def create_user(name: str, policy: str, region: str, path: str = "/") -> dict[str, str]:
    """An IAM user with `policy` as its only inline policy, and an access key for it."""
    backend = iam()
    backend.create_user(region, name, path=path)
    backend.put_user_policy(name, f"{name}-policy", policy)
    key = backend.create_access_key(name)
    return {"userName": name, "accessKeyId": key.access_key_id, "secretAccessKey": key.secret_access_key}


def assume_role(region: str):  # type: ignore[no-untyped-def]
    """A function (role ARN, session name) -> (key id, secret, token, expiration) over moto's STS."""
    from moto.sts.models import sts_backends

    def assume(role_arn: str, session: str):  # type: ignore[no-untyped-def]
        role = sts_backends[ACCOUNT_ID][PARTITION].assume_role(
            region_name=region, role_session_name=session, role_arn=role_arn, policy=None, duration=3600, external_id=None)
        return role.access_key_id, role.secret_access_key, role.session_token, role.expiration
    return assume


def s3_actions_as_iam_names_them() -> None:
    """The IAM actions S3 requests are checked against, as AWS names them (moto checks HeadBucket
    against a `s3:HeadBucket` that IAM does not have, and some bucket settings against CreateBucket)."""
    from moto.s3.responses import ACTION_MAP

    bucket = ACTION_MAP["BUCKET"]
    bucket["HEAD"]["DEFAULT"] = "ListBucket"
    bucket["GET"].update({"public_access_block": "GetBucketPublicAccessBlock", "encryption": "GetEncryptionConfiguration",
                          "ownershipControls": "GetBucketOwnershipControls"})
    bucket["PUT"].update({"public_access_block": "PutBucketPublicAccessBlock", "encryption": "PutEncryptionConfiguration",
                          "ownershipControls": "PutBucketOwnershipControls"})
    bucket["DELETE"].update({"public_access_block": "PutBucketPublicAccessBlock", "encryption": "PutEncryptionConfiguration",
                             "ownershipControls": "PutBucketOwnershipControls"})


def resources_as_aws_names_them() -> None:
    """moto checks every request of a service but S3 against the resource `*`, so a policy that
    names its resources (as least privilege does) would deny what AWS allows. The resource is named
    here as AWS names it for the calls whose resource the request carries (an SSM parameter, an SQS
    queue, a CloudFormation stack); for the others, a statement matches whatever resource it names
    (the action is still checked): never stricter than AWS."""
    import json
    from moto.iam.access_control import IAMPolicyStatement, IAMRequest

    def named(request: Any) -> str | None:
        service, _, action = request._action.partition(":")
        region, account = request._region, request.account_id
        data = request._data or {}

        def value(name: str) -> str | None:
            found = data.get(name)
            if isinstance(found, list):
                found = found[0] if found else None
            if found is None and request._body:
                try:
                    found = json.loads(request._body).get(name)
                except (ValueError, AttributeError):
                    found = None
            return found if isinstance(found, str) else None

        if service == "ssm" and action in ("GetParameter", "PutParameter", "DeleteParameter", "GetParameterHistory"):
            name = value("Name")
            if not name:
                return None
            path = name if name.startswith("/") else "/" + name
            owner = "" if path.startswith("/aws/service/") else account
            return f"arn:aws:ssm:{region}:{owner}:parameter{path}"
        if service == "sqs":
            url = value("QueueUrl")
            queue = url.rstrip("/").rsplit("/", 1)[-1] if url else value("QueueName")
            return f"arn:aws:sqs:{region}:{account}:{queue}" if queue else None
        if service == "cloudformation" and action in ("DescribeStacks", "DescribeStackResources", "DescribeStackEvents"):
            stack = value("StackName")
            if not stack:
                return None
            return stack if stack.startswith("arn:") else f"arn:aws:cloudformation:{region}:{account}:stack/{stack}/ncaas-emulator"
        return None

    check = IAMRequest.check_action_permitted

    def check_with_the_resource(self: Any, resource: str) -> None:
        if resource == "*":
            resource = named(self) or resource
        return check(self, resource)

    IAMRequest.check_action_permitted = check_with_the_resource

    matches = IAMPolicyStatement._check_element_matches

    def element_matches(self: Any, element: str, value: str) -> bool:
        if element == "Resource" and value == "*":
            return True
        return matches(self, element, value)

    IAMPolicyStatement._check_element_matches = element_matches


def let_unsigned_sts_federation_through() -> None:
    """AWS takes AssumeRoleWithWebIdentity and AssumeRoleWithSAML unsigned (the token or assertion
    is the proof) and moto routes them, but with checks on it fails them with a 500 for lacking a
    signature. They are let through unchecked, as AWS does."""
    from moto.core.authorization import ActionAuthenticatorMixin

    authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action

    def authorize_unless_unsigned_federation(self: Any, *args: Any, **kwargs: Any) -> Any:
        if "Authorization" not in self.headers and self._get_action() in ("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"):
            return None
        return authorize(self, *args, **kwargs)

    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = authorize_unless_unsigned_federation


def verify_s3_signatures_against_the_raw_uri() -> None:
    """moto 5.2 checks an S3 signature against the percent-decoded path and query, while S3 clients
    (boto3 and ncaas alike) sign the encoded ones, so any key holding `:` or a prefix holding `/`
    fails with SignatureDoesNotMatch even when signed correctly. S3's canonical URI is the path as
    sent, so the check here is made on the request's raw URI, as AWS makes it."""
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.responses import BaseResponse

    setup_class = BaseResponse.setup_class

    def remember_raw_uri(self: Any, request: Any, full_url: str, headers: Any, *args: Any, **kwargs: Any) -> Any:
        self._ncaas_raw_uri = getattr(request, "environ", {}).get("RAW_URI")
        return setup_class(self, request, full_url, headers, *args, **kwargs)

    authorize_s3 = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action

    def authorize_on_raw_uri(self: Any, *args: Any, **kwargs: Any) -> Any:
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
