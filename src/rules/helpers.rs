//! Module-level helper functions a fix may call where v2 has no equivalent of a v1 function.
//! Each is added once per file, after its imports, and only if the file lacks a definition of
//! the same name.

/// v1's `stream()`: read a prediction's server-sent events (v2 has no client for them).
/// The decoder follows v1's `EventSource.Decoder`; events keep `event`, `data`, `id` and v1's
/// `str()`, which is the data of `output` events only.
const STREAM_EVENTS: &str = r#"def _replicate_stream_events(url, token):
    """Yield the server-sent events of a prediction's stream, as replicate 1.x's `stream()` did."""
    import httpx

    class ServerSentEvent:
        def __init__(self, event, data, id):
            self.event, self.data, self.id = event, data, id

        def __str__(self):
            return self.data if self.event == "output" else ""

    headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with httpx.stream("GET", url, headers=headers, timeout=None) as response:
        event, data, last_id = None, [], None
        for line in response.iter_lines():
            if not line:
                if event is not None and last_id is not None:
                    sse = ServerSentEvent(event, "\n".join(data), last_id)
                    event, data = None, []
                    if sse.event == "error":
                        raise RuntimeError(sse.data)
                    yield sse
                    if sse.event == "done":
                        return
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
            elif field == "id" and "\0" not in value:
                last_id = value
"#;

/// v1's `async_stream()`: the same decoder over `httpx.AsyncClient`.
const ASYNC_STREAM_EVENTS: &str = r#"async def _replicate_async_stream_events(url, token):
    """Yield the server-sent events of a prediction's stream, as replicate 1.x's `async_stream()` did."""
    import httpx

    class ServerSentEvent:
        def __init__(self, event, data, id):
            self.event, self.data, self.id = event, data, id

        def __str__(self):
            return self.data if self.event == "output" else ""

    headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient(timeout=None) as http:
        async with http.stream("GET", url, headers=headers) as response:
            event, data, last_id = None, [], None
            async for line in response.aiter_lines():
                if not line:
                    if event is not None and last_id is not None:
                        sse = ServerSentEvent(event, "\n".join(data), last_id)
                        event, data = None, []
                        if sse.event == "error":
                            raise RuntimeError(sse.data)
                        yield sse
                        if sse.event == "done":
                            return
                    continue
                if line.startswith(":"):
                    continue
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    event = value
                elif field == "data":
                    data.append(value)
                elif field == "id" and "\0" not in value:
                    last_id = value
"#;

/// v1's `Webhooks.validate`: Standard Webhooks HMAC-SHA256 over `id.timestamp.body`, with the
/// same checks and messages (its error classes were `ValueError`s; these are plain ones).
const VALIDATE_WEBHOOK: &str = r#"def _replicate_validate_webhook(request=None, headers=None, body=None, secret=None, tolerance=None):
    """Validate a webhook's signature as replicate 1.x's `Webhooks.validate` did; raise ValueError if not."""
    import base64
    import hashlib
    import hmac
    import time

    if not secret:
        raise ValueError("Missing webhook signing secret")
    if request and any([headers, body]):
        raise ValueError("Only one of request or headers/body can be provided")
    if request and request.headers:
        webhook_id = request.headers.get("webhook-id")
        timestamp = request.headers.get("webhook-timestamp")
        signature = request.headers.get("webhook-signature")
        body = request.content.decode("utf-8")
    else:
        if not headers:
            raise ValueError("Missing webhook headers")
        headers = {k.lower(): v for k, v in headers.items()}
        webhook_id = headers.get("webhook-id")
        timestamp = headers.get("webhook-timestamp")
        signature = headers.get("webhook-signature")
    if not webhook_id:
        raise ValueError("Missing webhook id")
    if not timestamp:
        raise ValueError("Missing webhook timestamp")
    if not signature:
        raise ValueError("Missing webhook signature")
    if not body:
        raise ValueError("Missing webhook body")
    if tolerance is not None and abs(int(time.time()) - int(timestamp)) > tolerance:
        raise ValueError(f"Webhook timestamp is outside the allowed tolerance of {tolerance} seconds")
    key_parts = secret.key.split("_")
    if len(key_parts) != 2:
        raise ValueError(f"Invalid secret key format: {secret.key}")
    computed = hmac.new(base64.b64decode(key_parts[1]), f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    for sig in signature.split():
        sig_parts = sig.split(",")
        if len(sig_parts) < 2:
            raise ValueError(f"Invalid signature format: {sig}")
        if hmac.compare_digest(base64.b64decode(sig_parts[1]), computed):
            return
    raise ValueError("Webhook signature is invalid")
"#;

/// v1's `encode_json` for an input held in a variable: every open file and `Path` in it, at any
/// depth, uploaded with `files.create` and replaced by its URL, as v1 did before creating the
/// prediction (v2 uploads nameless bytes on `run`/`predictions.create`, and nothing on the
/// deployments and trainings routes).
const UPLOAD_FILES: &str = r#"def _replicate_upload_files(client, value):
    """Upload the open files and Paths in an input and pass their URLs, as replicate 1.x did."""
    import io
    import pathlib
    import types

    if isinstance(value, dict):
        return {key: _replicate_upload_files(client, item) for key, item in value.items()}
    if isinstance(value, (list, set, frozenset, tuple, types.GeneratorType)):
        return [_replicate_upload_files(client, item) for item in value]
    if isinstance(value, (io.IOBase, pathlib.Path)):
        return client.files.create(content=value).urls.get
    return value
"#;

/// The same over an `AsyncReplicate`, as v1's `async_encode_json`.
const ASYNC_UPLOAD_FILES: &str = r#"async def _replicate_async_upload_files(client, value):
    """Upload the open files and Paths in an input and pass their URLs, as replicate 1.x did."""
    import io
    import pathlib
    import types

    if isinstance(value, dict):
        return {key: await _replicate_async_upload_files(client, item) for key, item in value.items()}
    if isinstance(value, (list, set, frozenset, tuple, types.GeneratorType)):
        return [await _replicate_async_upload_files(client, item) for item in value]
    if isinstance(value, (io.IOBase, pathlib.Path)):
        return (await client.files.create(content=value)).urls.get
    return value
"#;

/// The source of a helper, by name.
pub fn source(name: &str) -> Option<&'static str> {
    match name {
        "_replicate_stream_events" => Some(STREAM_EVENTS),
        "_replicate_async_stream_events" => Some(ASYNC_STREAM_EVENTS),
        "_replicate_validate_webhook" => Some(VALIDATE_WEBHOOK),
        "_replicate_upload_files" => Some(UPLOAD_FILES),
        "_replicate_async_upload_files" => Some(ASYNC_UPLOAD_FILES),
        _ => None,
    }
}
