"""Where a client sends its calls: the target parsed into endpoints, each with its own channel,
circuit breaker and bulkhead, picked round robin (the Java client's ClientTarget and Endpoints).

An endpoint is passed over while another will take the call if its breaker is open or its
channel failed to connect (or lost a connection it had); when none qualifies, the next one whose
breaker admits calls is picked anyway, else simply the next one, whose breaker then refuses."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import grpc

from .breaker import CircuitBreaker
from .config import ClientConfig
from .errors import BulkheadFullError
from .policy import code_of, is_server_unwell, trailers_of
from .tls import ClientTls

StubsT = TypeVar("StubsT")

# gRPC's own retries are off: the client retries in one place only (RetryPolicy).
CHANNEL_OPTIONS: tuple[tuple[str, int], ...] = (("grpc.enable_retries", 0),)


def open_channel(name: str, credentials: grpc.ChannelCredentials | None) -> grpc.Channel:
    """One endpoint's channel: TLS with ``credentials``, plaintext without. The TLS server name
    and the name the server's certificate is checked against are the target's host."""
    if credentials is None:
        return grpc.insecure_channel(name, options=CHANNEL_OPTIONS)
    return grpc.secure_channel(name, credentials, options=CHANNEL_OPTIONS)


def open_aio_channel(name: str, credentials: grpc.ChannelCredentials | None) -> grpc.aio.Channel:
    """:func:`open_channel` for asyncio."""
    if credentials is None:
        return grpc.aio.insecure_channel(name, options=CHANNEL_OPTIONS)
    return grpc.aio.secure_channel(name, credentials, options=CHANNEL_OPTIONS)


def channel_credentials(tls: ClientTls | None) -> grpc.ChannelCredentials | None:
    """Read once per client, shared by every endpoint; None: plaintext."""
    return None if tls is None else tls.credentials()


def parse_target(target: str) -> list[str]:
    """The gRPC target of each endpoint: a comma-separated list gives one per entry, anything
    else (``host:port``, ``dns:///name:port``, ``unix:path``) one endpoint.

    Raises:
        ValueError: the target is blank or a list without an address.
    """
    if not target or not target.strip():
        raise ValueError("target must not be blank")
    if "," not in target:
        return [target.strip()]
    addresses = [address.strip() for address in target.split(",") if address.strip()]
    if not addresses:
        raise ValueError(f"no address in target '{target}'")
    return addresses


class Guard:
    """One endpoint's breaker and bulkhead, in that order (a call the bulkhead refuses never
    reached the server, so the breaker does not count it). Thread-safe."""

    def __init__(self, breaker: CircuitBreaker, max_concurrent_calls: int) -> None:
        self.breaker = breaker
        self._limit = max_concurrent_calls
        self._in_flight = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        """Admits one call. Raises BreakerOpenError or BulkheadFullError when refused."""
        self.breaker.acquire()
        with self._lock:
            if self._in_flight >= self._limit:
                self.breaker.release()
                raise BulkheadFullError(self.breaker.endpoint, self._limit)
            self._in_flight += 1

    def exit(self, error: BaseException | None, duration_s: float) -> None:
        """Reports how the admitted call ended: a success, a failure judged by the status policy
        (caller mistakes count as answered calls), or nothing at all when it was cancelled or
        never became an RPC."""
        with self._lock:
            self._in_flight -= 1
        report(self.breaker, error, duration_s)


def report(breaker: CircuitBreaker, error: BaseException | None, duration_s: float) -> None:
    if error is None:
        breaker.record(False, duration_s)
    elif not isinstance(error, grpc.RpcError) or code_of(error) == grpc.StatusCode.CANCELLED:
        breaker.release()
    else:
        breaker.record(is_server_unwell(code_of(error), trailers_of(error)), duration_s)


class Endpoint(Generic[StubsT]):
    def __init__(
        self, name: str, stubs: StubsT, guard: Guard, unreachable: Callable[[], bool]
    ) -> None:
        self.name = name
        self.stubs = stubs
        self.guard = guard
        self.unreachable = unreachable


class Endpoints(Generic[StubsT]):
    """A fixed set of endpoints picked round robin. Thread-safe."""

    def __init__(self, endpoints: Sequence[Endpoint[StubsT]]) -> None:
        if not endpoints:
            raise ValueError("a client needs at least one endpoint")
        self.all: tuple[Endpoint[StubsT], ...] = tuple(endpoints)
        self._next = itertools.count()
        self._lock = threading.Lock()

    def pick(self) -> Endpoint[StubsT]:
        if len(self.all) == 1:
            return self.all[0]
        with self._lock:
            start = next(self._next) % len(self.all)
        admitting: Endpoint[StubsT] | None = None
        for offset in range(len(self.all)):
            candidate = self.all[(start + offset) % len(self.all)]
            if candidate.guard.breaker.may_admit():
                if not candidate.unreachable():
                    return candidate
                if admitting is None:
                    admitting = candidate
        return admitting if admitting is not None else self.all[start]


def new_guard(name: str, config: ClientConfig, clock: Callable[[], float]) -> Guard:
    return Guard(CircuitBreaker(name, config.breaker, clock), config.max_concurrent_calls)


class ConnectivityWatch:
    """Whether a channel is unreachable, judged from its connectivity: it failed to connect, or
    was seen connected and is no longer. A channel never seen connected is not judged (it
    connects on its first call)."""

    def __init__(self) -> None:
        self._state: grpc.ChannelConnectivity | None = None
        self._seen_ready = False

    def update(self, state: grpc.ChannelConnectivity) -> None:
        self._state = state
        if state == grpc.ChannelConnectivity.READY:
            self._seen_ready = True

    def unreachable(self) -> bool:
        state = self._state
        if state == grpc.ChannelConnectivity.READY:
            return False
        if state in (grpc.ChannelConnectivity.TRANSIENT_FAILURE, grpc.ChannelConnectivity.SHUTDOWN):
            return True
        return self._seen_ready
