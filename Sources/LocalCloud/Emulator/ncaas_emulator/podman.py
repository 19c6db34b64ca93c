"""The podman command line, with this machine's options: one method per podman invocation."""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field


class PodmanError(Exception):
    """podman exited with an error; the message is podman's own last line."""


@dataclass
class PodmanOptions:
    """Arguments this machine needs (see LocalCloud's PodmanOptions in Swift, which writes the file)."""

    global_arguments: list[str] = field(default_factory=list)
    run_arguments: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | None) -> "PodmanOptions":
        """The options remembered in `path` (JSON with globalArguments and runArguments), else none."""
        if not path or not os.path.exists(path):
            return cls()
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(list(data.get("globalArguments", [])), list(data.get("runArguments", [])))


class Podman:
    def __init__(self, options: PodmanOptions) -> None:
        self.options = options

    def call(self, arguments: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["podman", *self.options.global_arguments, *arguments], capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def checked(self, arguments: list[str], what: str, timeout: float = 300) -> str:
        result = self.call(arguments, timeout=timeout)
        if result.returncode != 0:
            last = (result.stderr or result.stdout).strip().splitlines()
            raise PodmanError(f"could not {what}: podman said {last[-1] if last else 'nothing'!r}")
        return result.stdout.strip()

    def run_detached(self, arguments: list[str], image: str, command: list[str]) -> str:
        return self.checked(["run", "-d", *self.options.run_arguments, *arguments, image, *command],
                            f"start a container from {image}")

    def start(self, name: str) -> None:
        self.checked(["start", name], f"start the container {name}")

    def stop(self, name: str, seconds: int = 5) -> None:
        result = self.call(["stop", "-t", str(seconds), name])
        if result.returncode != 0 and self.state(name) == "running":
            raise PodmanError(f"could not stop the container {name}: {result.stderr.strip()}")

    def remove(self, name: str) -> None:
        result = self.call(["rm", "-f", "-v", "-t", "2", name])
        if result.returncode != 0 and self.state(name) is not None:
            raise PodmanError(f"could not remove the container {name}: {result.stderr.strip()}")

    def commit(self, name: str, reference: str, labels: dict[str, str]) -> None:
        changes: list[str] = []
        for key, value in labels.items():
            changes += ["--change", f"LABEL {key}={value}"]
        self.checked(["commit", "--quiet", *changes, name, reference], f"commit the container {name}")

    def remove_image(self, reference: str) -> bool:
        """Removes one tag; False when podman refuses (an instance still uses the image)."""
        return self.call(["rmi", reference]).returncode == 0 or not self.image_exists(reference)

    def image_exists(self, reference: str) -> bool:
        return self.call(["image", "exists", reference]).returncode == 0

    def images(self, repository: str) -> list[dict[str, object]]:
        """Images of `repository` with their labels (`podman images --format json`)."""
        out = self.checked(["images", "--format", "json", "--filter", f"reference={repository}"], "list images")
        return json.loads(out) if out else []

    def state(self, name: str) -> str | None:
        result = self.call(["container", "inspect", "--format", "{{.State.Status}}", name])
        return result.stdout.strip() if result.returncode == 0 else None

    def containers(self, label: str) -> list[dict[str, object]]:
        out = self.checked(["ps", "-a", "--filter", f"label={label}", "--format", "json"], "list containers")
        return json.loads(out) if out else []

    def events(self, label: str) -> subprocess.Popen[str]:
        """A stream of JSON lines, one per container that died, of containers carrying `label`."""
        return subprocess.Popen(["podman", *self.options.global_arguments, "events", "--format", "json",
                                 "--filter", "event=died", "--filter", f"label={label}"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
