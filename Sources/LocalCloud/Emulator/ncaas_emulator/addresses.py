"""Loopback addresses for instances: each instance owns one 127.x.y.z (never in 127.0.0.0/16, so never
127.0.0.1), unique among the live instances of every local cloud on this machine.

An address is claimed by creating a file named after it (O_EXCL) in a folder shared by every local
cloud of this user, holding the claiming process's id; a claim whose process is gone is stale and
taken over. Before claiming, the address's SSH and metadata ports are bound once to check that
nothing else (an sshd on 0.0.0.0:22) holds them.
"""
from __future__ import annotations

import errno
import os
import random
import socket
import tempfile
import threading


class AddressesExhausted(Exception):
    pass


class AddressPool:
    def __init__(self, ports: list[int], claims: str | None = None) -> None:
        self.ports = ports
        self.claims = claims or os.path.join(tempfile.gettempdir(), f"ncaas-loopback-{os.getuid()}")
        os.makedirs(self.claims, mode=0o700, exist_ok=True)
        self.lock = threading.Lock()
        self.mine: set[str] = set()

    def allocate(self) -> str:
        with self.lock:
            for _ in range(200):
                address = f"127.{random.randint(16, 254)}.{random.randint(0, 255)}.{random.randint(2, 254)}"
                if address in self.mine or not all(self.bindable(address, port) for port in self.ports):
                    continue
                if self.claim(address):
                    self.mine.add(address)
                    return address
        raise AddressesExhausted("no free loopback address after 200 tries")

    def release(self, address: str) -> None:
        with self.lock:
            self.mine.discard(address)
            try:
                os.unlink(os.path.join(self.claims, address))
            except FileNotFoundError:
                pass

    def release_all(self) -> None:
        for address in list(self.mine):
            self.release(address)

    def claim(self, address: str) -> bool:
        path = os.path.join(self.claims, address)
        for _ in range(2):
            try:
                descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                if not self.stale(path):
                    return False
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(descriptor, "w") as handle:
                handle.write(str(os.getpid()))
            return True
        return False

    @staticmethod
    def stale(path: str) -> bool:
        try:
            with open(path, encoding="utf-8") as handle:
                pid = int(handle.read().strip() or "0")
        except (OSError, ValueError):
            return True
        if pid <= 0:
            return True
        try:
            os.kill(pid, 0)
        except OSError as error:
            return error.errno == errno.ESRCH
        return False

    @staticmethod
    def bindable(address: str, port: int) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((address, port))
            except OSError:
                return False
        return True
