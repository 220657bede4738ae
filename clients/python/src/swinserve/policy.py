"""What a failed call says about the server: the one place that decides which statuses count
against a breaker and which are retried, and how the ``grpc-retry-pushback-ms`` trailer is read
(gRFC A6; the same rules as the Java client's StatusPolicy and RetryPushback)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import grpc

PUSHBACK_KEY = "grpc-retry-pushback-ms"
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")

_UNWELL = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNKNOWN,
    }
)


def _values(metadata: Any, key: str) -> list[str]:
    if metadata is None:
        return []
    if isinstance(metadata, grpc.aio.Metadata):
        return [str(value) for value in metadata.get_all(key)]
    pairs: Iterable[tuple[str, Any]] = metadata
    return [str(value) for name, value in pairs if name == key]


def pushback_present(metadata: Any) -> bool:
    """Whether the trailers carry the pushback key at all, well-formed or not."""
    return bool(_values(metadata, PUSHBACK_KEY))


def read_pushback_ms(metadata: Any) -> int | None:
    """The wait in milliseconds the server asked for; negative means do not retry. None when there
    is no trailer or its value is not a whole number (surrounding spaces allowed)."""
    values = _values(metadata, PUSHBACK_KEY)
    if not values:
        return None
    text = values[0].strip()
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def code_of(error: BaseException) -> grpc.StatusCode:
    """The status code of a gRPC failure; UNKNOWN for anything else."""
    code = getattr(error, "code", None)
    if callable(code):
        value = code()
        if isinstance(value, grpc.StatusCode):
            return value
    return grpc.StatusCode.UNKNOWN


def trailers_of(error: BaseException) -> Any:
    trailers = getattr(error, "trailing_metadata", None)
    return trailers() if callable(trailers) else None


def is_server_unwell(code: grpc.StatusCode, trailers: Any) -> bool:
    """UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, and RESOURCE_EXHAUSTED sent as load
    shedding (with a pushback trailer). Caller mistakes never count."""
    if code in _UNWELL:
        return True
    return code == grpc.StatusCode.RESOURCE_EXHAUSTED and pushback_present(trailers)


def is_retryable(code: grpc.StatusCode, trailers: Any) -> bool:
    """UNAVAILABLE, and RESOURCE_EXHAUSTED with a pushback trailer, unless the pushback is
    negative. DEADLINE_EXCEEDED is not retried: the deadline spans the whole call."""
    pushback = read_pushback_ms(trailers)
    if code == grpc.StatusCode.UNAVAILABLE:
        return pushback is None or pushback >= 0
    if code == grpc.StatusCode.RESOURCE_EXHAUSTED:
        return pushback is not None and pushback >= 0
    return False
