"""Client factory shared by our services: retries, proxies, and per-tenant tokens."""
from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from typing import Optional

import httpx
import replicate
from replicate.client import RetryTransport  # v1: IM03


@dataclass(frozen=True)
class Settings:
    token: Optional[str] = os.environ.get("REPLICATE_API_TOKEN")
    base_url: str = os.environ.get("REPLICATE_BASE_URL", "https://api.replicate.com")
    proxy: Optional[str] = os.environ.get("HTTPS_PROXY")
    ca_bundle: Optional[str] = os.environ.get("REQUESTS_CA_BUNDLE")
    timeout: float = 30.0


def make_transport() -> httpx.HTTPTransport:
    return RetryTransport(wrapped_transport=httpx.HTTPTransport(retries=2), max_attempts=5)


def make_client(settings: Settings = Settings()) -> replicate.Client:  # v1: M01
    verify = ssl.create_default_context(cafile=settings.ca_bundle) if settings.ca_bundle else True
    return replicate.Client(  # v1: M01, C02, C04, C08
        api_token=settings.token,
        base_url=settings.base_url,
        timeout=httpx.Timeout(settings.timeout),
        proxy=settings.proxy,
        verify=verify,
    )


def tenant_client(token: str, *, transport: Optional[httpx.BaseTransport] = None):
    if transport is not None:
        return replicate.Client(api_token=token, transport=transport)  # v1: C02, C07
    return replicate.Client(token, headers={"User-Agent": "acme-gateway/2.3"})  # v1: C01, C06


class Tenant:
    def __init__(self, name: str, token: str):
        self.name = name
        self._token = token
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = tenant_client(self._token)
        return self._client

    def whoami(self) -> str:
        return self.client.accounts.current().username  # v1: C11, A01

    def gpus(self) -> list[str]:
        return [hw.id for hw in self.client.hardware.list()]  # v1: H04

    def collections(self) -> list[str]:
        slugs = []
        page = self.client.collections.list()
        while page:
            slugs.extend(c.slug for c in page.results)
            page = self.client.collections.list(cursor=page.next) if page.next else None  # v1: CO03, PG07
        return slugs

    async def webhook_key(self) -> str:
        secret = await self.client.webhooks.default.async_secret()  # v1: W02
        return secret.key

    def poll_every(self, seconds: float) -> None:
        self.client.poll_interval = seconds
