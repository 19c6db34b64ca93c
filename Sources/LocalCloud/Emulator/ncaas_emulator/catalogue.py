"""The base images of the local cloud: public AMIs named and owned as their real counterparts are
(so that a client picks the login user and resolves aliases on this endpoint exactly as on AWS), all
backed by the local cloud's base image, with the public SSM parameters Canonical and Debian publish."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class BaseImage:
    alias: str
    image_id: str
    name: str
    owner_id: str
    description: str
    login_user: str
    creation_date: str
    ssm_parameters: tuple[str, ...]


CANONICAL = "099720109477"
DEBIAN = "136693071363"
AMAZON_DLAMI = "898082745236"

BASE_IMAGES: tuple[BaseImage, ...] = (
    BaseImage("ubuntu18", "ami-0b1e2eeb33ce3d66f", "ubuntu/images/hvm-ssd/ubuntu-bionic-18.04-amd64-server-20230531",
              CANONICAL, "Canonical, Ubuntu, 18.04 LTS, amd64 bionic image build on 2023-05-31", "ubuntu",
              "2023-05-31T12:00:00.000Z",
              ("/aws/service/canonical/ubuntu/server/18.04/stable/current/amd64/hvm/ebs-gp2/ami-id",)),
    BaseImage("ubuntu16", "ami-0f40c8f97004632f9", "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-20211001",
              CANONICAL, "Canonical, Ubuntu, 16.04 LTS, amd64 xenial image build on 2021-10-01", "ubuntu",
              "2021-10-01T12:00:00.000Z",
              ("/aws/service/canonical/ubuntu/server/16.04/stable/current/amd64/hvm/ebs-gp2/ami-id",)),
    BaseImage("dlami18", "ami-0a7789c77135a5f8a", "Deep Learning AMI (Ubuntu 18.04) Version 64.2",
              AMAZON_DLAMI, "MXNet-1.9, TensorFlow-2.7, PyTorch-1.10, Neuron, & others. NVIDIA CUDA, cuDNN, NCCL, Intel MKL-DNN, Docker, NVIDIA-Docker & EFA support.",
              "ubuntu", "2022-10-05T12:00:00.000Z", ()),
    BaseImage("debian12", "ami-064519b8c76274859", "debian-12-amd64-20240507-1740",
              DEBIAN, "Debian 12 (20240507-1740)", "admin", "2024-05-07T17:40:00.000Z",
              ("/aws/service/debian/release/12/latest/amd64", "/aws/service/debian/release/bookworm/latest/amd64")),
)


def by_id(image_id: str) -> BaseImage | None:
    return next((image for image in BASE_IMAGES if image.image_id == image_id), None)


def write_moto_amis(path: str) -> None:
    """Writes the catalogue in moto's MOTO_AMIS_PATH format: moto then knows these AMIs (and only
    these) in every region, so its filters scan four images instead of hundreds. (No creation date:
    moto parses the shared rows in place, so a second region's backend would fail on them.)"""
    rows = [{
        "ami_id": image.image_id, "name": image.name, "description": image.description,
        "owner_id": image.owner_id, "public": True, "virtualization_type": "hvm", "architecture": "x86_64",
        "state": "available", "platform": None, "image_type": "machine",
        "hypervisor": "xen", "root_device_type": "ebs", "root_device_name": "/dev/sda1", "sriov": "simple",
    } for image in BASE_IMAGES]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle)


def public_parameters() -> dict[str, str]:
    """SSM parameter name -> AMI id, as `/aws/service/...` answers on AWS."""
    return {name: image.image_id for image in BASE_IMAGES for name in image.ssm_parameters}
