"""The blocking client."""

from __future__ import annotations

import random as random_module
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any

import grpc
from grpc_health.v1 import health_pb2

from .breaker import BreakerSnapshot
from .config import BreakerConfig, ClientConfig, RetryConfig
from .endpoints import (
    ConnectivityWatch,
    Endpoint,
    Endpoints,
    channel_credentials,
    new_guard,
    open_channel,
    parse_target,
)
from .deadlines import attempt_timeout_s
from .errors import SwinserveError
from .images import Images, classify_request, model_spec
from .policy import code_of, trailers_of
from .retry import RetryPolicy
from .stream import SyncStream
from .stubs import Stubs
from .tls import ClientTls
from .v1 import classifier_pb2, model_service_pb2


class Client:
    """A resilient client of a swinserve server (or several).

    ``target`` is ``host:port``, a static list ``host1:port1,host2:port2`` (an endpoint per
    address: its own channel, breaker and bulkhead, used round robin), or any other gRPC target
    (one channel). ``tls`` (a :class:`swinserve.ClientTls`) makes every endpoint speak TLS, or
    mutual TLS with a client certificate; without it the client speaks plaintext. Every call has
    a deadline (``default_deadline`` seconds unless given) that spans its retries and is sent to
    the server; calls are protected, outermost first, as
    ``retry(breaker(bulkhead(call with deadline)))``, each attempt on the next endpoint.

    Failures are raised as :class:`grpc.RpcError` with ``code()`` and ``details()``: the server's
    status, or a :class:`swinserve.SwinserveError` (UNAVAILABLE when an open breaker refused the
    call, RESOURCE_EXHAUSTED when the bulkhead was full). Thread-safe; owns its channels (close
    it, or use it as a context manager). ``clock``, ``random`` and ``sleep`` are for tests.

    Raises:
        ValueError: a blank target, a bad setting, or a TLS file without a PEM block.
        OSError: a TLS file cannot be read.
    """

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
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = ClientConfig(
            default_deadline, retry, breaker, max_concurrent_calls, tls
        )
        self._clock = clock
        self._sleep = sleep
        self._retry = RetryPolicy(retry, random)
        self._channels: list[tuple[grpc.Channel, ConnectivityWatch]] = []
        names = parse_target(target)
        credentials = channel_credentials(tls)
        endpoints: list[Endpoint[Stubs]] = []
        for name in names:
            channel = open_channel(name, credentials)
            watch = ConnectivityWatch()
            channel.subscribe(watch.update, try_to_connect=False)
            self._channels.append((channel, watch))
            guard = new_guard(name, self.config, clock)
            endpoints.append(Endpoint(name, Stubs(channel), guard, watch.unreachable))
        self._endpoints = Endpoints(endpoints)

    def classify(
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
        """Classifies ``images`` (see :func:`swinserve.to_images` for what they can be) with one
        call; one ``Classification`` per image, in order. ``deadline`` in seconds."""
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
        return self.classify_request(request, deadline=deadline)

    def classify_request(
        self, request: classifier_pb2.ClassifyRequest, *, deadline: float | None = None
    ) -> classifier_pb2.ClassifyResponse:
        """Sends a ready-made ``ClassifyRequest``."""
        response: classifier_pb2.ClassifyResponse = self._call(
            lambda stubs: stubs.classifier.Classify, request, deadline
        )
        return response

    def classify_stream(
        self,
        requests: Iterable[classifier_pb2.ClassifyRequest],
        max_in_flight: int = 16,
        deadline: float | None = None,
    ) -> Iterator[classifier_pb2.ClassifyResponse]:
        """Streams ``requests`` (build them with :func:`swinserve.classify_request`) and yields
        each answer exactly once, in the order the server sends them: pair them by
        ``request_id``, which must be unique among unanswered requests (one is generated for a
        request without). At most ``max_in_flight`` requests are unanswered; ``requests`` is read
        no faster than the server answers. A broken stream is reopened and its unanswered requests
        sent again, as the module ``swinserve.stream`` says. ``deadline`` (seconds) covers the
        whole stream, reconnections included; None: no deadline. Stopping the iteration cancels
        the stream."""
        deadline_at = None if deadline is None else self._clock() + deadline
        stream = SyncStream(
            requests,
            max_in_flight,
            self._endpoints,
            self._retry,
            deadline_at,
            self._clock,
            self._sleep,
        )
        return stream.responses()

    def models(self, *, deadline: float | None = None) -> model_service_pb2.ListModelsResponse:
        """Every model the server holds, with each version's state and labels."""
        response: model_service_pb2.ListModelsResponse = self._call(
            lambda stubs: stubs.models.ListModels, model_service_pb2.ListModelsRequest(), deadline
        )
        return response

    def model_status(
        self,
        model: str,
        *,
        version: int | None = None,
        label: str | None = None,
        deadline: float | None = None,
    ) -> model_service_pb2.ModelStatus:
        """One model; with a version or label, only that version is listed."""
        spec = model_spec(model, version=version, label=label)
        response: model_service_pb2.ModelStatus = self._call(
            lambda stubs: stubs.models.GetModelStatus, spec, deadline
        )
        return response

    def set_label(
        self, model: str, label: str, version: int, *, deadline: float | None = None
    ) -> model_service_pb2.ModelStatus:
        """Points ``label`` of ``model`` at ``version``; returns the model's new status."""
        request = model_service_pb2.SetLabelRequest(model=model, label=label, version=version)
        response: model_service_pb2.ModelStatus = self._call(
            lambda stubs: stubs.models.SetLabel, request, deadline
        )
        return response

    def health(self, service: str = "", *, deadline: float | None = None) -> int:
        """The standard gRPC health check: a ``HealthCheckResponse.ServingStatus`` value, e.g.
        ``health_pb2.HealthCheckResponse.SERVING``; ``""`` asks about the whole server."""
        response: health_pb2.HealthCheckResponse = self._call(
            lambda stubs: stubs.health.Check,
            health_pb2.HealthCheckRequest(service=service),
            deadline,
        )
        return int(response.status)

    def breakers(self) -> list[BreakerSnapshot]:
        """Every endpoint's breaker now, in target order."""
        return [endpoint.guard.breaker.snapshot() for endpoint in self._endpoints.all]

    def close(self) -> None:
        """Closes every channel; calls in progress fail with CANCELLED."""
        for channel, watch in self._channels:
            channel.unsubscribe(watch.update)
            channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, method: Callable[[Stubs], Any], request: Any, deadline: float | None) -> Any:
        """One unary call with retries: each attempt on the endpoint picked for it, inside its
        breaker and bulkhead, with what is left of the deadline."""
        timeout = self.config.default_deadline_s if deadline is None else deadline
        deadline_at = self._clock() + timeout
        self._retry.budget.record_call()
        failures = 0
        while True:
            endpoint = self._endpoints.pick()
            endpoint.guard.enter()
            started = self._clock()
            try:
                attempt_timeout = attempt_timeout_s(deadline_at - started)
                response = method(endpoint.stubs)(request, timeout=attempt_timeout)
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
                self._sleep(wait)
            except BaseException as error:
                endpoint.guard.exit(error, self._clock() - started)
                raise
            else:
                endpoint.guard.exit(None, self._clock() - started)
                return response
