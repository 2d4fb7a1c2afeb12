"""Small media library: uploads assets to Replicate files and runs models on them."""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import replicate
from replicate.client import Client  # v1: IM02
from replicate.file import File  # v1: IM12


@functools.lru_cache(maxsize=1)
def default_client() -> Client:
    return Client(  # v1: M01, C02, C04, C06
        api_token=os.environ.get("REPLICATE_API_TOKEN"),
        base_url=os.environ.get("REPLICATE_API_BASE", "https://api.replicate.com"),
        headers={"X-Team": "media"},
    )


@dataclass
class Asset:
    path: Path
    remote: Optional[File] = None
    tags: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def matches_remote(self) -> bool:
        return self.remote is not None and self.remote.checksums["sha256"] == self.sha256  # v1: F12


@dataclass
class Library:
    root: Path
    client: Optional[Client] = None
    assets: dict[str, Asset] = field(default_factory=dict)

    @property
    def api(self) -> Client:
        return self.client or default_client()

    def upload(self, path: Path) -> Asset:
        asset = Asset(path)
        remote = self.api.files.create(str(path), metadata={"library": str(self.root)})  # v1: F01
        asset.remote = remote
        self.assets[remote.id] = asset
        return asset

    def refresh(self, file_id: str) -> File:
        f = self.api.files.get(file_id)  # v1: F03
        print(f.name, f.etag, f.size, f.content_type)  # v1: F11
        return f

    def forget(self, file_id: str) -> bool:
        self.assets.pop(file_id, None)
        return self.api.files.delete(file_id)  # v1: F07

    def remote_count(self) -> int:
        return len(self.api.files.list())  # v1: F05

    def all_remote(self) -> Iterable[str]:
        for f in self.api.files.list():  # v1: F05, PG04
            yield f.id

    def caption(self, file_id: str) -> str:
        asset = self.assets[file_id]
        url = asset.remote.urls["get"]  # v1: F09
        return self.api.run(
            "salesforce/blip:2e1dddc8621f72155f24cf2e0adbde548458d3cab9f00c0139eea840d0ac4746",
            input={"image": url, "task": "image_captioning"},
        )


def upscale(image: Path, client: Optional[Client] = None, scale: int = 4):
    client = client or default_client()
    with image.open("rb") as fh:
        return client.run("nightmareai/real-esrgan", {"image": fh, "scale": scale})  # v1: R05


def total_remote_bytes(lib: Library) -> int:
    total = 0
    for asset in lib.assets.values():
        if asset.remote is not None:
            total += asset.remote.size
    return total
