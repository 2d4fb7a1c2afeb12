"""Assorted helpers from our internal `replicate_utils` package."""
import json
import logging
from typing import Any, Iterator, Optional

import httpx
import replicate
from replicate.__about__ import __version__ as SDK_VERSION  # v1: IM25
from replicate.account import Account  # v1: IM14
from replicate.collection import Collection  # v1: IM11
from replicate.exceptions import ReplicateError, ModelError  # v1: IM16
from replicate.hardware import Hardware  # v1: IM13
from replicate.helpers import base64_encode_file, FileOutput  # v1: IM18, IM17
from replicate.identifier import ModelVersionIdentifier  # v1: IM19
from replicate.model import Models  # v1: IM07
from replicate.run import run as run_with_client  # v1: IM22
from replicate.schema import version_has_no_array_type  # v1: IM23
from replicate.webhook import WebhookValidationError  # v1: IM15

log = logging.getLogger(__name__)
USER_AGENT = f"acme-tools/1.0 replicate/{SDK_VERSION}"


def parse_ref(ref: str) -> ModelVersionIdentifier:
    return ModelVersionIdentifier.parse(ref)


def parse_ref_attr(ref: str):
    return replicate.identifier.ModelVersionIdentifier.parse(ref)  # v1: I06


def error_summary(err: ReplicateError) -> dict:
    return {
        "title": err.title,  # v1: E04
        "status": err.status,  # v1: E03
        "type": err.type,  # v1: E04
        "instance": err.instance,  # v1: E04
    }


def from_http(resp: httpx.Response) -> ReplicateError:
    return ReplicateError.from_response(resp)  # v1: E07


def reject(detail: str) -> None:
    raise ReplicateError(title="Rejected", status=400, detail=detail)  # v1: E08


def data_uri(fh) -> str:
    return base64_encode_file(fh)


def describe_account(acct: Account) -> str:
    return f"{acct.username} ({acct.type})"


def describe_hw(hw: Hardware) -> str:
    return f"{hw.name} [{hw.sku}]"


def model_names(col: Collection) -> list[str]:
    return [m.name for m in (col.models or [])]


def is_streamable(version) -> bool:
    return not version_has_no_array_type(version.openapi_schema)


def run_raw(client, ref: str, inputs: dict) -> Any:
    return run_with_client(client, ref, inputs)


def outputs(items) -> Iterator[str]:
    for item in items:
        yield item.url if isinstance(item, FileOutput) else str(item)


def safe_get(models: Models, ref: str) -> Optional[Any]:
    try:
        return models.get(ref)  # v1: MD01
    except ModelError:
        return None
    except ReplicateError as e:
        log.info("lookup failed: %s", json.dumps(e.to_dict()))  # v1: E05
        return None


def is_webhook_failure(exc: Exception) -> bool:
    return isinstance(exc, WebhookValidationError)


def client_from_default():
    return replicate.default_client  # v1: M02
