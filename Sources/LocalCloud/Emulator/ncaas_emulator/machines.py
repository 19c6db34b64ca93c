"""Instances made real: one podman container per EC2 instance, driven by the EC2 state changes that
moto records, whoever asked for them.

Each instance owns a loopback address (its private and public IP), a folder under the emulator's
state folder (the seed its guest init boots from, its host keys, its console log) and a metadata
service. Each change of state runs on a thread of its own under the instance's lock, so an API call
returns at once with the transitional state (pending, stopping, shutting-down) as EC2's does, and
the state settles (running, stopped, terminated) once the container has done it. A container that
exits on its own (a shutdown from inside) is seen through podman's event stream and becomes stopped
or terminated by the instance's shutdown behaviour; one that asked for a reboot is started again.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from . import catalogue
from .addresses import AddressPool
from .metadata import MetadataService, RoleCredentials
from .podman import Podman, PodmanError, PodmanOptions

CREATED_IMAGES = "localhost/ncaas-ami"
LABEL_INSTANCE = "ncaas.instance"
LABEL_ENDPOINT = "ncaas.endpoint"
LABEL_AMI = "ncaas.ami"
LABEL_LOGIN_USER = "ncaas.login-user"
REBOOT_EXIT_STATUS = 3

PENDING, RUNNING, SHUTTING_DOWN, TERMINATED, STOPPING, STOPPED = (
    ("pending", 0), ("running", 16), ("shutting-down", 32), ("terminated", 48), ("stopping", 64), ("stopped", 80))


def log(message: str) -> None:
    sys.stderr.write(f"ncaas-emulator: {message}\n")
    sys.stderr.flush()


@dataclass
class Settings:
    endpoint: str
    region: str
    state_folder: str
    guest_folder: str
    base_image: str
    ssh_port: int
    metadata_port: int
    podman_options_file: str | None
    trust_bundle: str | None


def user_data_bytes(value: Any) -> bytes | None:
    """User-data as RunInstances, CloudFormation or a launch template hand it to moto (base64 text),
    decoded to the bytes the instance gets."""
    if value is None:
        return None
    if hasattr(value, "_encoded_string"):
        value = value._encoded_string
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return str(value).encode()


class Machine:
    """One instance's life on this machine."""

    def __init__(self, instance: Any, address: str, login_user: str, image: str | None, folder: str,
                 settings: Settings) -> None:
        self.instance = instance
        self.instance_id: str = instance.id
        self.address = address
        self.login_user = login_user
        self.image = image
        self.folder = folder
        self.region = settings.region
        self.hostname = "ip-" + address.replace(".", "-")
        self.lock = threading.RLock()
        self.user_data = user_data_bytes(instance.user_data)
        self.public_key: str | None = None
        self.metadata: MetadataService | None = None
        self.interruption: dict[str, str] | None = None
        self.ending = False
        self.ended = False
        self.ending_reason: tuple[str, str] | None = None

    @property
    def console_path(self) -> str:
        return os.path.join(self.folder, "console.log")

    def tokens_required(self) -> bool:
        return getattr(self.instance.metadata_options, "http_tokens", "optional") == "required"

    def profile(self) -> Any | None:
        association = self.instance.ec2_backend.iam_instance_profile_associations.get(self.instance_id)
        return association.iam_instance_profile if association else None

    def role_arn(self) -> str | None:
        profile = self.profile()
        roles = list(getattr(profile, "roles", []) or []) if profile else []
        return roles[0].arn if roles else None

    def role_name(self) -> str | None:
        arn = self.role_arn()
        return arn.rsplit("/", 1)[-1] if arn else None

    def iam_info(self) -> dict[str, str]:
        profile = self.profile()
        return {"Code": "Success", "LastUpdated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "InstanceProfileArn": profile.arn if profile else "", "InstanceProfileId": getattr(profile, "id", "")}

    def identity_document(self) -> dict[str, Any]:
        instance = self.instance
        return {"accountId": instance.owner_id, "architecture": instance.architecture, "availabilityZone": instance.placement,
                "imageId": instance.image_id, "instanceId": self.instance_id, "instanceType": instance.instance_type,
                "pendingTime": instance.launch_time if isinstance(instance.launch_time, str) else str(instance.launch_time),
                "privateIp": self.address, "region": self.region, "version": "2017-09-30"}


def set_state(instance: Any, state: tuple[str, int], reason: tuple[str, str] | None = None) -> None:
    from moto.ec2.models.instances import StateReason
    instance._state.name, instance._state.code = state
    if reason is not None:
        code, message = reason
        instance.state_reason = StateReason(message, code)
        instance._reason = message


class Machines:
    """Every instance of this endpoint, and the podman side of their lives."""

    def __init__(self, settings: Settings, assume_role: Callable[[str, str], tuple[str, str, str, datetime]]) -> None:
        self.settings = settings
        self.machines: dict[str, Machine] = {}
        self.created_images: dict[str, tuple[str, str]] = {}  # AMI id -> (podman reference, login user)
        self.doomed_images: set[str] = set()
        self.addresses = AddressPool([settings.ssh_port, settings.metadata_port])
        self.credentials = RoleCredentials(assume_role)
        self.lock = threading.Lock()
        self._podman: Podman | None = None
        self.monitor: subprocess.Popen[str] | None = None
        self.closing = False
        os.makedirs(os.path.join(settings.state_folder, "instances"), exist_ok=True)

    @property
    def podman(self) -> Podman:
        if self._podman is None:
            self._podman = Podman(PodmanOptions.load(self.settings.podman_options_file))
        return self._podman

    # Where an AMI comes from

    def image_for(self, image_id: str) -> tuple[str | None, str]:
        """The podman image and the login user of an AMI (None: it has no image here)."""
        base = catalogue.by_id(image_id)
        if base is not None:
            return self.settings.base_image, base.login_user
        if image_id in self.created_images:
            return self.created_images[image_id]
        return None, "ubuntu"

    # Launch

    def launched(self, instance: Any) -> None:
        """After moto made `instance` (RunInstances, CloudFormation, Auto Scaling): pending until its
        container runs."""
        self.ensure_monitor()
        image, login_user = self.image_for(instance.image_id)
        try:
            address = self.addresses.allocate()
        except Exception as error:  # an instance without an address cannot exist
            set_state(instance, TERMINATED, ("Server.InsufficientInstanceCapacity", f"Server.InsufficientInstanceCapacity: {error}"))
            return
        folder = os.path.join(self.settings.state_folder, "instances", instance.id)
        machine = Machine(instance, address, login_user, image, folder, self.settings)
        key_pair = instance.ec2_backend.key_pairs.get(instance.key_name) if instance.key_name else None
        machine.public_key = key_pair.public_key if key_pair else None
        with self.lock:
            self.machines[instance.id] = machine
        self.assign_address(instance, address)
        set_state(instance, PENDING)
        self.spawn(machine, "launch", self.boot_first_time)

    @staticmethod
    def assign_address(instance: Any, address: str) -> None:
        """The instance's own loopback address as its private and public IP (moto picks a public
        one again at every start, as EC2 does; here the address stays the instance's)."""
        for nic in instance.nics.values():
            nic.private_ip_address = address
            nic.public_ip = address
            break

    def spawn(self, machine: Machine, what: str, action: Callable[[Machine], None]) -> None:
        def run() -> None:
            with machine.lock:
                try:
                    action(machine)
                except Exception as error:  # every failure becomes the instance's state, never a crash
                    log(f"{machine.instance_id}: {what} failed: {error}")
        threading.Thread(target=run, name=f"{what}-{machine.instance_id}", daemon=True).start()

    def boot_first_time(self, machine: Machine) -> None:
        instance = machine.instance
        if instance.state in ("shutting-down", "terminated"):
            return
        try:
            if machine.image is None:
                raise PodmanError(f"the AMI {instance.image_id} has no image on this machine")
            self.write_seed(machine)
            machine.metadata = MetadataService(machine, machine.address, self.settings.metadata_port, self.credentials)
            self.podman.run_detached(self.run_arguments(machine), machine.image, ["/usr/lib/ncaas-guest/init"])
        except Exception as error:
            if "image not known" in str(error):
                error = PodmanError(f"{error}; run `ncaas local up` to build the base image")
            self.append_console(machine, f"ncaas: the instance could not start: {error}")
            log(f"{machine.instance_id}: could not start: {error}")
            machine.ending_reason = ("Server.InternalError", "Server.InternalError: Internal error on launch")
            instance.terminate()
            return
        if instance.state == "pending":
            set_state(instance, RUNNING)

    def write_seed(self, machine: Machine) -> None:
        seed = os.path.join(machine.folder, "seed")
        os.makedirs(seed, exist_ok=True)
        os.makedirs(os.path.join(machine.folder, "hostkeys"), mode=0o700, exist_ok=True)
        meta = {
            "instance-id": machine.instance_id, "login-user": machine.login_user, "address": machine.address,
            "hostname": machine.hostname, "ssh-port": str(self.settings.ssh_port),
            "metadata-endpoint": f"http://{machine.address}:{self.settings.metadata_port}/",
            "region": self.settings.region, "aws-endpoint": self.settings.endpoint,
        }
        with open(os.path.join(seed, "meta-data"), "w", encoding="utf-8") as handle:
            handle.writelines(f"{key}={value}\n" for key, value in meta.items())
        if machine.user_data is not None:
            with open(os.path.join(seed, "user-data"), "wb") as handle:
                handle.write(machine.user_data)
        if machine.public_key:
            with open(os.path.join(seed, "public-key"), "w", encoding="utf-8") as handle:
                handle.write(machine.public_key.strip() + "\n")

    def run_arguments(self, machine: Machine) -> list[str]:
        arguments = [
            "--name", machine.instance_id, "--hostname", machine.hostname, "--network", "host", "--pull", "never",
            "--add-host", f"{machine.hostname}:{machine.address}",
            "--label", f"{LABEL_INSTANCE}={machine.instance_id}",
            "--label", f"{LABEL_ENDPOINT}={self.settings.endpoint}",
            "--label", f"{LABEL_AMI}={machine.instance.image_id}",
            "--log-driver", "k8s-file", "--log-opt", f"path={machine.console_path}",
            "-v", f"{os.path.join(machine.folder, 'seed')}:/run/ncaas/seed:ro",
            "-v", f"{os.path.join(machine.folder, 'hostkeys')}:/etc/ssh/ncaas-hostkeys",
            "-v", f"{self.settings.guest_folder}:/usr/lib/ncaas-guest:ro",
        ]
        if self.settings.trust_bundle:
            arguments += ["-v", f"{self.settings.trust_bundle}:{self.settings.trust_bundle}:ro"]
        return arguments

    # Stop, start, reboot, terminate

    def stopping(self, instance: Any) -> None:
        machine = self.machines.get(instance.id)
        if machine is None:
            return
        set_state(instance, STOPPING)

        def stop(machine: Machine) -> None:
            if machine.instance.state != "stopping":
                return
            self.podman.stop(machine.instance_id)
            set_state(machine.instance, STOPPED)
        self.spawn(machine, "stop", stop)

    def starting(self, instance: Any) -> None:
        machine = self.machines.get(instance.id)
        if machine is None:
            set_state(instance, STOPPED, ("Server.InternalError", "Server.InternalError: the instance has no container on this machine"))
            return
        self.assign_address(instance, machine.address)
        set_state(instance, PENDING)

        def start(machine: Machine) -> None:
            if machine.instance.state != "pending":
                return
            try:
                self.podman.start(machine.instance_id)
            except PodmanError as error:
                self.append_console(machine, f"ncaas: the instance could not start: {error}")
                set_state(machine.instance, STOPPED, ("Server.InternalError", f"Server.InternalError: {error}"))
                return
            set_state(machine.instance, RUNNING)
        self.spawn(machine, "start", start)

    def rebooting(self, instance: Any) -> None:
        machine = self.machines.get(instance.id)
        if machine is None or instance.state != "running":
            return

        def reboot(machine: Machine) -> None:
            self.podman.stop(machine.instance_id)
            if machine.instance.state == "running":
                self.podman.start(machine.instance_id)
        self.spawn(machine, "reboot", reboot)

    def terminating(self, instance: Any) -> None:
        """After moto recorded the termination, whoever asked for it (the reason, when the endpoint
        itself ended the instance, is the machine's `ending_reason`)."""
        machine = self.machines.get(instance.id)
        if machine is None:
            return
        if machine.ending:
            # A second TerminateInstances while the container goes (moto marks it terminated at once):
            # it stays shutting-down, with the first reason, until the container is gone.
            if not machine.ended:
                set_state(instance, SHUTTING_DOWN, machine.ending_reason)
                if machine.ended:  # the container went meanwhile
                    set_state(instance, TERMINATED, machine.ending_reason)
            return
        machine.ending = True
        set_state(instance, SHUTTING_DOWN, machine.ending_reason)
        self.spawn(machine, "terminate", lambda machine: self.end(machine, machine.ending_reason))

    def end(self, machine: Machine, reason: tuple[str, str] | None) -> None:
        """Removes the container and frees the address: the instance is terminated (moto has recorded
        its termination already)."""
        try:
            self.podman.remove(machine.instance_id)
        except PodmanError as error:
            log(f"{machine.instance_id}: {error}")
        if machine.metadata is not None:
            machine.metadata.close()
            machine.metadata = None
        self.addresses.release(machine.address)
        shutil.rmtree(os.path.join(machine.folder, "hostkeys"), ignore_errors=True)
        machine.ended = True
        set_state(machine.instance, TERMINATED, reason)
        for image_id in list(self.doomed_images):
            self.forget_image(image_id)

    # Images

    def image_created(self, ami: Any, instance: Any, reboot: bool) -> None:
        machine = self.machines.get(instance.id)
        ami.state = "pending"
        if machine is None:
            ami.state = "failed"
            return
        reference = f"{CREATED_IMAGES}:{ami.id}"
        self.created_images[ami.id] = (reference, machine.login_user)

        def commit(machine: Machine) -> None:
            try:
                running = self.podman.state(machine.instance_id) == "running"
                if reboot and running:
                    self.podman.stop(machine.instance_id)
                self.podman.commit(machine.instance_id, reference,
                                   {LABEL_AMI: ami.id, LABEL_LOGIN_USER: machine.login_user})
                if reboot and running and machine.instance.state == "running":
                    self.podman.start(machine.instance_id)
                ami.state = "available"
            except PodmanError as error:
                log(f"{ami.id}: {error}")
                ami.state = "failed"
        self.spawn(machine, "create-image", commit)

    def import_image(self, reference: str, name: str, login_user: str) -> str:
        """Registers an AMI of this account backed by the podman image `reference` (EC2's ImportImage,
        with a podman image for the disk)."""
        if not self.podman.image_exists(reference):
            raise PodmanError(f"there is no podman image {reference}")
        from moto.ec2.models import ec2_backends
        from .accounts import ACCOUNT_ID
        ami = ec2_backends[ACCOUNT_ID][self.settings.region].register_image(name=name, description=f"imported from {reference}")
        self.created_images[ami.id] = (reference, login_user)
        return ami.id

    def image_deregistered(self, image_id: str) -> None:
        if image_id in self.created_images and self.created_images[image_id][0].startswith(CREATED_IMAGES + ":"):
            self.doomed_images.add(image_id)
            threading.Thread(target=self.forget_image, args=(image_id,), daemon=True).start()

    def forget_image(self, image_id: str) -> None:
        reference, _ = self.created_images.get(image_id, (f"{CREATED_IMAGES}:{image_id}", ""))
        if self.podman.remove_image(reference):
            self.doomed_images.discard(image_id)
            self.created_images.pop(image_id, None)

    # Console

    def append_console(self, machine: Machine, line: str) -> None:
        os.makedirs(machine.folder, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f000+00:00")
        with open(machine.console_path, "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} stdout F {line}\n")

    def console(self, instance_id: str) -> str | None:
        """The instance's console as EC2 gives it: its last 64 KiB."""
        machine = self.machines.get(instance_id)
        if machine is None:
            return None
        try:
            with open(machine.console_path, encoding="utf-8", errors="replace") as handle:
                raw = handle.read()
        except FileNotFoundError:
            return ""
        text: list[str] = []
        for line in raw.splitlines():
            parts = line.split(" ", 3)
            if len(parts) < 3:
                continue
            body = parts[3] if len(parts) == 4 else ""
            text.append(body if parts[2] == "P" else body + "\n")
        return "".join(text)[-65536:]

    # Spot interruptions

    def interrupt(self, instance_id: str, after: float) -> bool:
        """Posts a spot interruption notice in the instance's metadata and terminates it `after`
        seconds later, as EC2 does (two minutes there)."""
        machine = self.machines.get(instance_id)
        if machine is None or machine.instance.state not in ("pending", "running"):
            return False
        moment = datetime.fromtimestamp(time.time() + after, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        machine.interruption = {"action": "terminate", "time": moment}

        def later() -> None:
            time.sleep(after)
            if machine.instance.state in ("pending", "running", "stopping", "stopped"):
                machine.ending_reason = ("Server.SpotInstanceTermination", "Server.SpotInstanceTermination: Spot instance termination")
                machine.instance.terminate()
                self.notify_autoscaling(machine)
        threading.Thread(target=later, daemon=True).start()
        return True

    # Shutdowns from inside

    def ensure_monitor(self) -> None:
        with self.lock:
            if self.monitor is not None and self.monitor.poll() is None:
                return
            self.monitor = self.podman.events(f"{LABEL_ENDPOINT}={self.settings.endpoint}")
            threading.Thread(target=self.watch, args=(self.monitor,), name="podman-events", daemon=True).start()

    def watch(self, stream: subprocess.Popen[str]) -> None:
        assert stream.stdout is not None
        for line in stream.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            instance_id = (event.get("Attributes") or {}).get(LABEL_INSTANCE) or event.get("Name")
            machine = self.machines.get(instance_id)
            if machine is not None:
                code = int(event.get("ContainerExitCode") or 0)
                threading.Thread(target=self.exited, args=(machine, code), daemon=True).start()

    def exited(self, machine: Machine, code: int) -> None:
        """A container died: unless the emulator was stopping it, the instance shut itself down."""
        with machine.lock:
            instance = machine.instance
            if self.closing or instance.state != "running" or self.podman.state(machine.instance_id) == "running":
                return
            if code == REBOOT_EXIT_STATUS:
                self.podman.start(machine.instance_id)
                return
            reason = ("Client.InstanceInitiatedShutdown", "Client.InstanceInitiatedShutdown: Instance initiated shutdown")
            if instance.instance_initiated_shutdown_behavior == "terminate":
                machine.ending_reason = reason
                instance.terminate()
                self.notify_autoscaling(machine)
            else:
                instance.stop()
                set_state(instance, STOPPED, reason)

    def notify_autoscaling(self, machine: Machine) -> None:
        try:
            from moto.autoscaling import autoscaling_backends
            autoscaling_backends[machine.instance.owner_id][self.settings.region].notify_terminate_instances([machine.instance_id])
        except Exception as error:  # no group: nothing to replace
            log(f"{machine.instance_id}: auto scaling not told: {error}")

    # Exit

    def close(self) -> None:
        """Removes every container of this endpoint (the emulator is going away)."""
        self.closing = True
        if self.monitor is not None:
            self.monitor.terminate()
        threads = []
        for machine in list(self.machines.values()):
            if not machine.ended:
                thread = threading.Thread(target=self.end, args=(machine, None), daemon=True)
                thread.start()
                threads.append(thread)
        for thread in threads:
            thread.join(timeout=30)
        self.addresses.release_all()
