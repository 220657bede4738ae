"""Drives a ``swinserve.aio.AsyncClient`` from blocking test code: every call runs to completion
on one event loop owned here, and a stream is stepped one answer at a time, so the same case
runner checks both clients."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from typing import Any

from swinserve.aio import AsyncClient
from swinserve.breaker import BreakerSnapshot


class AsyncFacade:
    def __init__(self, target: str, **settings: Any) -> None:
        self._loop = asyncio.new_event_loop()

        async def make() -> AsyncClient:
            return AsyncClient(target, **settings)

        self._client = self._loop.run_until_complete(make())

    def _run(self, coroutine: Any) -> Any:
        return self._loop.run_until_complete(coroutine)

    def health(self, service: str = "") -> Any:
        return self._run(self._client.health(service))

    def models(self) -> Any:
        return self._run(self._client.models())

    def model_status(self, model: str, **options: Any) -> Any:
        return self._run(self._client.model_status(model, **options))

    def set_label(self, model: str, label: str, version: int) -> Any:
        return self._run(self._client.set_label(model, label, version))

    def classify(self, images: Any, **options: Any) -> Any:
        return self._run(self._client.classify(images, **options))

    def classify_stream(
        self, requests: Iterable[Any], max_in_flight: int = 16, deadline: float | None = None
    ) -> Iterator[Any]:
        responses = self._client.classify_stream(requests, max_in_flight, deadline)
        try:
            while True:
                try:
                    yield self._run(responses.__anext__())
                except StopAsyncIteration:
                    return
        finally:
            self._run(responses.aclose())  # type: ignore[attr-defined]

    def breakers(self) -> list[BreakerSnapshot]:
        return self._client.breakers()

    def close(self) -> None:
        self._run(self._client.close())
        self._loop.close()

    def __enter__(self) -> AsyncFacade:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
