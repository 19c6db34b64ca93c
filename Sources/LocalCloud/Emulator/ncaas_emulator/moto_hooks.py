"""Where moto is extended, in-process, so that the endpoint behaves like AWS from the inside.

Each hook wraps one moto method and keeps moto's own behaviour, adding what AWS does and moto does
not: instances made real (`machines.Machines`), ClientToken idempotency, an instance profile for
every instance of a launch (moto gives it to the first), CreateImage's reboot and pending state and
its snapshot tags, the console output, an account without a default VPC, and the public SSM
parameters of the base images.
"""
from __future__ import annotations

import base64
import threading
from typing import Any

from . import catalogue
from .machines import Machines

_local = threading.local()


def install(machines: Machines, default_vpc: bool) -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.amis import AmiBackend
    from moto.ec2.models.instances import Instance, InstanceBackend
    from moto.ec2.models.security_groups import SecurityGroupBackend
    from moto.ec2.models.vpcs import VPCBackend
    from moto.ec2.responses.amis import AmisResponse
    from moto.ec2.responses.general import General
    from moto.ec2.responses.instances import InstanceResponse
    from moto.ec2.utils import Base64EncodedString
    from moto.ssm.models import ParameterDict, Parameter
    from moto.core.utils import utcnow

    # DescribeInstances' client-token filter (what finds a launch after an ambiguous reply).
    from moto.ec2 import utils as ec2_utils
    ec2_utils.filter_dict_attribute_mapping["client-token"] = "client_token"

    # RunInstances: the same ClientToken is the same launch (EC2's idempotency), before anything else.
    original_response_run = InstanceResponse.run_instances

    def run_instances_response(self: Any) -> Any:
        token = self._get_param("ClientToken")
        if token:
            for reservation in self.ec2_backend.reservations.values():
                if reservation.instances and reservation.instances[0].client_token == token:
                    return ActionResult(reservation)
        return original_response_run(self)

    InstanceResponse.run_instances = run_instances_response

    original_run = InstanceBackend.run_instances

    def run_instances(self: Any, image_id: str, count: int, user_data: Any, security_group_names: list[str], **kwargs: Any) -> Any:
        reservation = original_run(self, image_id, count, user_data, security_group_names, **kwargs)
        profile = launch_profile(self, kwargs)
        for index, instance in enumerate(reservation.instances):
            # The response associates the request's profile with the first instance only.
            direct = kwargs.get("iam_instance_profile_name") or kwargs.get("iam_instance_profile_arn")
            if profile and not (direct and index == 0) and instance.id not in self.iam_instance_profile_associations:
                try:
                    self.associate_iam_instance_profile(instance_id=instance.id, **profile)
                except Exception as error:  # a profile that does not exist: the instance runs without one
                    machines_log(f"{instance.id}: instance profile not associated: {error}")
            machines.launched(instance)
        return reservation

    InstanceBackend.run_instances = run_instances

    def launch_profile(backend: Any, kwargs: dict[str, Any]) -> dict[str, str] | None:
        """The instance profile a launch names: the request's, its launch template's or its launch
        configuration's (an Auto Scaling group's)."""
        if kwargs.get("iam_instance_profile_name"):
            return {"iam_instance_profile_name": kwargs["iam_instance_profile_name"]}
        if kwargs.get("iam_instance_profile_arn"):
            return {"iam_instance_profile_arn": kwargs["iam_instance_profile_arn"]}
        template = kwargs.get("launch_template")
        if template:
            try:
                data = backend._get_template_from_args(template).data
            except Exception:
                data = {}
            named = (data.get("IamInstanceProfile") or {})
            if named.get("Name"):
                return {"iam_instance_profile_name": named["Name"]}
            if named.get("Arn"):
                return {"iam_instance_profile_arn": named["Arn"]}
        config = kwargs.get("launch_config")
        name = getattr(config, "iam_instance_profile", None) if config is not None else None
        if name:
            return {"iam_instance_profile_arn": name} if str(name).startswith("arn:") else {"iam_instance_profile_name": name}
        return None

    # Stop, start, reboot, terminate act on the containers.
    original_stop = InstanceBackend.stop_instances
    original_start = InstanceBackend.start_instances
    original_reboot = InstanceBackend.reboot_instances

    def stop_instances(self: Any, instance_ids: list[str]) -> Any:
        changed = original_stop(self, instance_ids)
        for instance, _ in changed:
            machines.stopping(instance)
        return changed

    def start_instances(self: Any, instance_ids: list[str]) -> Any:
        changed = original_start(self, instance_ids)
        for instance, previous in changed:
            if previous.name in ("stopped", "stopping"):
                machines.starting(instance)
        return changed

    def reboot_instances(self: Any, instance_ids: list[str]) -> Any:
        rebooted = original_reboot(self, instance_ids)
        for instance in rebooted:
            machines.rebooting(instance)
        return rebooted

    InstanceBackend.stop_instances = stop_instances
    InstanceBackend.start_instances = start_instances
    InstanceBackend.reboot_instances = reboot_instances

    # Termination at the model, so that every path is seen: TerminateInstances, a stack's deletion,
    # an Auto Scaling group's scale-in, and the endpoint's own (a shutdown from inside, a spot
    # interruption).
    original_instance_terminate = Instance.terminate

    def terminate(self: Any) -> Any:
        previous = self._state.name
        result = original_instance_terminate(self)
        if previous != "terminated":
            machines.terminating(self)
        return result

    Instance.terminate = terminate

    # CreateImage: NoReboot read from the request (moto ignores it), snapshot tags applied (moto
    # refuses them), the image pending until the container is committed.
    original_create_image_response = AmisResponse.create_image

    def create_image_response(self: Any) -> Any:
        _local.no_reboot = self._get_bool_param("NoReboot", False)
        try:
            return original_create_image_response(self)
        finally:
            _local.no_reboot = False

    AmisResponse.create_image = create_image_response

    original_create_image = AmiBackend.create_image

    def create_image(self: Any, instance_id: str, name: str, description: str, tag_specifications: list[dict[str, Any]]) -> Any:
        snapshot_tags: list[dict[str, str]] = []
        kept = []
        for specification in tag_specifications or []:
            if specification.get("ResourceType") == "snapshot":
                snapshot_tags += specification.get("Tags", [])
            else:
                kept.append(specification)
        ami = original_create_image(self, instance_id, name, description, kept)
        for tag in snapshot_tags:
            ami.ebs_snapshot.add_tag(tag["Key"], tag["Value"])
        machines.image_created(ami, self.get_instance(instance_id), reboot=not getattr(_local, "no_reboot", False))
        return ami

    AmiBackend.create_image = create_image

    original_deregister = AmiBackend.deregister_image

    def deregister_image(self: Any, ami_id: str) -> None:
        original_deregister(self, ami_id)
        machines.image_deregistered(ami_id)

    AmiBackend.deregister_image = deregister_image

    # GetConsoleOutput: what the instance printed (moto returns a fixed sample).
    original_console = General.get_console_output

    def get_console_output(self: Any) -> Any:
        instance_id = self._get_param("InstanceId")
        text = machines.console(instance_id)
        if text is None:
            return original_console(self)
        instance = self.ec2_backend.get_instance(instance_id)
        return ActionResult({"InstanceId": instance.id, "Timestamp": utcnow(),
                             "Output": Base64EncodedString.from_raw_string(text) if text else None})

    General.get_console_output = get_console_output

    # An account without a default VPC (`--no-default-vpc`), as many institutional accounts are.
    if not default_vpc:
        VPCBackend.create_default_vpc = lambda self: None  # type: ignore[method-assign]
        original_create_group = SecurityGroupBackend.create_security_group

        def create_security_group(self: Any, name: str, description: str, vpc_id: str | None = None, *args: Any, **kwargs: Any) -> Any:
            if vpc_id is None and self.get_default_vpc() is None:
                raise EC2ClientError("VPCIdNotSpecified", "No default VPC for this user")
            return original_create_group(self, name, description, vpc_id, *args, **kwargs)

        SecurityGroupBackend.create_security_group = create_security_group

    # The public parameters Canonical and Debian publish, answering with the base images.
    public = catalogue.public_parameters()
    original_check = ParameterDict._check_loading_status

    def check_loading_status(self: Any, key: str) -> None:
        original_check(self, key)
        if str(key or "").startswith(("/aws/service/canonical", "/aws/service/debian")) and not getattr(self, "_ncaas_loaded", False):
            self._ncaas_loaded = True
            for name, value in public.items():
                super(ParameterDict, self).__getitem__(name).append(Parameter(account_id=self.account_id, name=name, value=value, parameter_type="String",
                                            description=None, allowed_pattern=None, keyid=None,
                                            last_modified_date=utcnow(), version=1, data_type="aws:ec2:image"))

    ParameterDict._check_loading_status = check_loading_status

    # Inline policies are JSON documents (moto's CloudFormation stores a template's as a dict, which
    # its own IAM checks then cannot read).
    import json
    from moto.iam.models import Group, Role, User

    for model in (Role, User, Group):
        def put_policy(self: Any, policy_name: str, policy_json: Any, _original: Any = model.put_policy) -> None:
            if not isinstance(policy_json, str):
                policy_json = json.dumps(policy_json)
            _original(self, policy_name, policy_json)
        model.put_policy = put_policy


def machines_log(message: str) -> None:
    from .machines import log
    log(message)
