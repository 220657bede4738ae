"""Failures the client raises itself. Every failure of a call is a :class:`grpc.RpcError` with
``code()`` and ``details()``: the server's status as grpcio raises it, or one of these when the
client refused the call locally (an open breaker, a full bulkhead) or ended a stream."""

from __future__ import annotations

from typing import Any

import grpc


class SwinserveError(grpc.RpcError):
    """A status the client produced itself; ``code()`` and ``details()`` as on grpcio's errors."""

    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(f"{code.name}: {details}")
        self._code = code
        self._details = details

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> tuple[Any, ...]:
        return ()


class BreakerOpenError(SwinserveError):
    """UNAVAILABLE: the endpoint's circuit breaker refused the call (open, or half-open with every
    probe taken). Not retried: the breaker says the server is unwell."""

    def __init__(self, endpoint: str, state: str) -> None:
        super().__init__(
            grpc.StatusCode.UNAVAILABLE,
            f"circuit breaker of endpoint {endpoint} is open ({state}): call not permitted",
        )


class BulkheadFullError(SwinserveError):
    """RESOURCE_EXHAUSTED: the endpoint already has ``max_concurrent_calls`` calls in flight."""

    def __init__(self, endpoint: str, limit: int) -> None:
        super().__init__(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"bulkhead of endpoint {endpoint} is full: {limit} calls in flight",
        )
