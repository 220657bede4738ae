"""A count-window circuit breaker per endpoint, with Resilience4j's rules (as the Java client
uses them): CLOSED records outcomes over the last ``window_size`` calls and opens once it holds
``minimum_calls`` and the failure rate or slow-call rate reaches its threshold; OPEN refuses
every call until ``wait_in_open_state_s`` has passed, then the next call moves it to HALF_OPEN;
HALF_OPEN lets ``half_open_probes`` calls through and, once all have ended, closes or opens again
by the same rates over them. Time comes from the injected clock. Thread-safe."""

from __future__ import annotations

import enum
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .config import BreakerConfig
from .errors import BreakerOpenError


class BreakerState(enum.Enum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


@dataclass(frozen=True)
class BreakerSnapshot:
    """One endpoint's breaker at a moment.

    ``failure_rate_percent`` and ``slow_call_rate_percent`` are -1 until the window holds the
    minimum number of calls; ``rejected_calls`` counts refusals since the breaker was made.
    """

    endpoint: str
    state: BreakerState
    failure_rate_percent: float
    slow_call_rate_percent: float
    buffered_calls: int
    failed_calls: int
    rejected_calls: int


class _Window:
    def __init__(self, size: int, minimum: int) -> None:
        self.outcomes: deque[tuple[bool, bool]] = deque(maxlen=size)
        self.minimum = min(minimum, size)

    def rates(self) -> tuple[float, float]:
        """(failure %, slow %), -1 each while fewer than the minimum calls are recorded."""
        total = len(self.outcomes)
        if total < self.minimum or total == 0:
            return -1.0, -1.0
        failed = sum(1 for failure, _ in self.outcomes if failure)
        slow = sum(1 for _, is_slow in self.outcomes if is_slow)
        return 100.0 * failed / total, 100.0 * slow / total


class CircuitBreaker:
    def __init__(self, endpoint: str, config: BreakerConfig, clock: Callable[[], float]) -> None:
        self.endpoint = endpoint
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._window = _Window(config.window_size, config.minimum_calls)
        self._open_until = 0.0
        self._probes_taken = 0
        self._rejected = 0

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state

    def may_admit(self) -> bool:
        """Whether a call would be let through now, without taking a permit."""
        with self._lock:
            return self._state != BreakerState.OPEN or self._clock() >= self._open_until

    def acquire(self) -> None:
        """Takes a permit for one call, whose outcome must then be reported once (``record``)
        or given back (``release``).

        Raises:
            BreakerOpenError: the breaker refuses (open, or every half-open probe taken).
        """
        with self._lock:
            if self._state == BreakerState.OPEN and self._clock() > self._open_until:
                self._transition(BreakerState.HALF_OPEN)
            if self._state == BreakerState.OPEN or (
                self._state == BreakerState.HALF_OPEN
                and self._probes_taken >= self._config.half_open_probes
            ):
                self._rejected += 1
                raise BreakerOpenError(self.endpoint, self._state.value)
            if self._state == BreakerState.HALF_OPEN:
                self._probes_taken += 1

    def release(self) -> None:
        """The permitted call never reached the server (or was cancelled): counts nothing."""
        with self._lock:
            if self._state == BreakerState.HALF_OPEN and self._probes_taken > 0:
                self._probes_taken -= 1

    def record(self, failed: bool, duration_s: float) -> None:
        """The outcome of a permitted call: ``failed`` when the server was unwell."""
        slow = duration_s >= self._config.slow_call_duration_s
        with self._lock:
            if self._state == BreakerState.OPEN:
                return
            self._window.outcomes.append((failed, slow))
            failure_rate, slow_rate = self._window.rates()
            if failure_rate < 0:
                return
            exceeded = (
                failure_rate >= self._config.failure_rate_threshold_percent
                or slow_rate >= self._config.slow_call_rate_threshold_percent
            )
            if exceeded:
                self._transition(BreakerState.OPEN)
            elif self._state == BreakerState.HALF_OPEN:
                self._transition(BreakerState.CLOSED)

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            failure_rate, slow_rate = self._window.rates()
            return BreakerSnapshot(
                endpoint=self.endpoint,
                state=self._state,
                failure_rate_percent=failure_rate,
                slow_call_rate_percent=slow_rate,
                buffered_calls=len(self._window.outcomes),
                failed_calls=sum(1 for failure, _ in self._window.outcomes if failure),
                rejected_calls=self._rejected,
            )

    def _transition(self, to: BreakerState) -> None:
        """Holds the lock. Every state starts with an empty window of its own."""
        self._state = to
        self._probes_taken = 0
        if to == BreakerState.OPEN:
            self._open_until = self._clock() + self._config.wait_in_open_state_s
        elif to == BreakerState.HALF_OPEN:
            probes = self._config.half_open_probes
            self._window = _Window(probes, probes)
        else:
            self._window = _Window(self._config.window_size, self._config.minimum_calls)
