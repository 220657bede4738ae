"""The asyncio client."""

from __future__ import annotations

import asyncio
import random as random_module
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any

import grpc
from grpc_health.v1 import health_pb2

from ..breaker import BreakerSnapshot
from ..config import BreakerConfig, ClientConfig, RetryConfig
from ..endpoints import (
    ConnectivityWatch,
    Endpoint,
    Endpoints,
    channel_credentials,
    new_guard,
    open_aio_channel,
    parse_target,
)
from ..deadlines import attempt_timeout_s
from ..errors import SwinserveError
from ..images import Images, classify_request, model_spec
from ..policy import code_of, trailers_of
from ..retry import RetryPolicy
from ..stubs import Stubs
from ..tls import ClientTls
from ..v1 import classifier_pb2, model_service_pb2
from .stream import AsyncStream, Requests


def _watch(channel: grpc.aio.Channel) -> Callable[[], bool]:
    watch = ConnectivityWatch()

    def unreachable() -> bool:
        watch.update(channel.get_state(try_to_connect=False))
        return watch.unreachable()

    return unreachable


class AsyncClient:
    """:class:`swinserve.Client` for asyncio: the same arguments, defaults, resilience and
    errors; every call is a coroutine and ``classify_stream`` an async generator. Close it with
    ``await client.close()`` or use ``async with``."""

    def __init__(
        self,
        target: str,
        *,
        default_deadline: float = 10.0,
        retry: RetryConfig = RetryConfig(),
        breaker: BreakerConfig = BreakerConfig(),
        max_concurrent_calls: int = 64,
        tls: ClientTls | None = None,
        clock: Callable[[], float] = time.monotonic,
        random: Callable[[], float] = random_module.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = ClientConfig(
            default_deadline, retry, breaker, max_concurrent_calls, tls
        )
        self._clock = clock
        self._sleep = sleep
        self._retry = RetryPolicy(retry, random)
        self._channels: list[grpc.aio.Channel] = []
        names = parse_target(target)
        credentials = channel_credentials(tls)
        endpoints: list[Endpoint[Stubs]] = []
        for name in names:
            channel = open_aio_channel(name, credentials)
            self._channels.append(channel)
            guard = new_guard(name, self.config, clock)
            endpoints.append(Endpoint(name, Stubs(channel), guard, _watch(channel)))
        self._endpoints = Endpoints(endpoints)

    async def classify(
        self,
        images: Images,
        *,
        model: str,
        version: int | None = None,
        label: str | None = None,
        top_k: int = 0,
        include_logits: bool = False,
        request_id: str | None = None,
        routing_key: str | None = None,
        deadline: float | None = None,
    ) -> classifier_pb2.ClassifyResponse:
        """As :meth:`swinserve.Client.classify`."""
        request = classify_request(
            images,
            model=model,
            version=version,
            label=label,
            top_k=top_k,
            include_logits=include_logits,
            request_id=request_id,
            routing_key=routing_key,
        )
        return await self.classify_request(request, deadline=deadline)

    async def classify_request(
        self, request: classifier_pb2.ClassifyRequest, *, deadline: float | None = None
    ) -> classifier_pb2.ClassifyResponse:
        response: classifier_pb2.ClassifyResponse = await self._call(
            lambda stubs: stubs.classifier.Classify, request, deadline
        )
        return response

    def classify_stream(
        self, requests: Requests, max_in_flight: int = 16, deadline: float | None = None
    ) -> AsyncIterator[classifier_pb2.ClassifyResponse]:
        """As :meth:`swinserve.Client.classify_stream`; ``requests`` may be a plain or an async
        iterable. Use with ``async for``."""
        deadline_at = None if deadline is None else self._clock() + deadline
        stream = AsyncStream(
            requests,
            max_in_flight,
            self._endpoints,
            self._retry,
            deadline_at,
            self._clock,
            self._sleep,
        )
        return stream.responses()

    async def models(
        self, *, deadline: float | None = None
    ) -> model_service_pb2.ListModelsResponse:
        response: model_service_pb2.ListModelsResponse = await self._call(
            lambda stubs: stubs.models.ListModels, model_service_pb2.ListModelsRequest(), deadline
        )
        return response

    async def model_status(
        self,
        model: str,
        *,
        version: int | None = None,
        label: str | None = None,
        deadline: float | None = None,
    ) -> model_service_pb2.ModelStatus:
        spec = model_spec(model, version=version, label=label)
        response: model_service_pb2.ModelStatus = await self._call(
            lambda stubs: stubs.models.GetModelStatus, spec, deadline
        )
        return response

    async def set_label(
        self, model: str, label: str, version: int, *, deadline: float | None = None
    ) -> model_service_pb2.ModelStatus:
        request = model_service_pb2.SetLabelRequest(model=model, label=label, version=version)
        response: model_service_pb2.ModelStatus = await self._call(
            lambda stubs: stubs.models.SetLabel, request, deadline
        )
        return response

    async def health(self, service: str = "", *, deadline: float | None = None) -> int:
        response: health_pb2.HealthCheckResponse = await self._call(
            lambda stubs: stubs.health.Check,
            health_pb2.HealthCheckRequest(service=service),
            deadline,
        )
        return int(response.status)

    def breakers(self) -> list[BreakerSnapshot]:
        return [endpoint.guard.breaker.snapshot() for endpoint in self._endpoints.all]

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _call(
        self, method: Callable[[Stubs], Any], request: Any, deadline: float | None
    ) -> Any:
        """As ``Client._call``: retries around breaker and bulkhead around the call."""
        timeout = self.config.default_deadline_s if deadline is None else deadline
        deadline_at = self._clock() + timeout
        self._retry.budget.record_call()
        failures = 0
        while True:
            endpoint = self._endpoints.pick()
            endpoint.guard.enter()
            started = self._clock()
            try:
                response = await method(endpoint.stubs)(
                    request, timeout=attempt_timeout_s(deadline_at - started)
                )
            except grpc.RpcError as error:
                endpoint.guard.exit(error, self._clock() - started)
                if isinstance(error, SwinserveError):
                    raise
                failures += 1
                wait = self._retry.wait_s(
                    code_of(error), trailers_of(error), failures, deadline_at - self._clock()
                )
                if wait is None:
                    raise
                await self._sleep(wait)
            except BaseException as error:
                endpoint.guard.exit(error, self._clock() - started)
                raise
            else:
                endpoint.guard.exit(None, self._clock() - started)
                return response
