"""The per-endpoint circuit breaker on a manual clock."""

from __future__ import annotations

import pytest

from swinserve import BreakerConfig, BreakerOpenError, BreakerState
from swinserve.breaker import CircuitBreaker


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: ManualClock, **config: object) -> CircuitBreaker:
    settings: dict[str, object] = {"window_size": 4, "minimum_calls": 4, "wait_in_open_state_s": 10.0}
    settings.update(config)
    return CircuitBreaker("e1", BreakerConfig(**settings), clock)  # type: ignore[arg-type]


def call(b: CircuitBreaker, failed: bool, duration_s: float = 0.01) -> None:
    b.acquire()
    b.record(failed, duration_s)


def test_opens_at_the_failure_rate_once_the_window_holds_the_minimum() -> None:
    b = breaker(ManualClock())
    for failed in (True, False, True):
        call(b, failed)
    assert b.state is BreakerState.CLOSED  # 3 calls: below the minimum
    call(b, False)
    assert b.state is BreakerState.OPEN  # 2 of 4 failed: 50 %


def test_stays_closed_below_the_rate() -> None:
    b = breaker(ManualClock())
    for failed in (True, False, False, False, False, True, False, False):
        call(b, failed)
    assert b.state is BreakerState.CLOSED
    assert b.snapshot().failure_rate_percent == 25.0


def test_open_refuses_and_counts_refusals() -> None:
    b = breaker(ManualClock())
    for _ in range(4):
        call(b, True)
    with pytest.raises(BreakerOpenError) as refused:
        b.acquire()
    assert "open" in (refused.value.details() or "")
    assert b.snapshot().rejected_calls == 1


def test_half_opens_after_the_wait_and_closes_when_probes_succeed() -> None:
    clock = ManualClock()
    b = breaker(clock, half_open_probes=2)
    for _ in range(4):
        call(b, True)
    clock.now += 10.0
    with pytest.raises(BreakerOpenError):
        b.acquire()  # the wait is over only strictly after its end
    clock.now += 0.001
    assert b.may_admit()
    b.acquire()
    b.acquire()
    assert b.state is BreakerState.HALF_OPEN
    with pytest.raises(BreakerOpenError):
        b.acquire()  # every probe taken
    b.record(False, 0.01)
    b.record(False, 0.01)
    assert b.state is BreakerState.CLOSED
    assert b.snapshot().buffered_calls == 0


def test_a_failed_probe_opens_it_again() -> None:
    clock = ManualClock()
    b = breaker(clock, half_open_probes=1)
    for _ in range(4):
        call(b, True)
    clock.now += 11
    call(b, True)
    assert b.state is BreakerState.OPEN
    assert not b.may_admit()


def test_a_released_probe_is_given_back() -> None:
    clock = ManualClock()
    b = breaker(clock, half_open_probes=1)
    for _ in range(4):
        call(b, True)
    clock.now += 11
    b.acquire()
    b.release()
    b.acquire()
    assert b.state is BreakerState.HALF_OPEN


def test_slow_calls_open_it() -> None:
    b = breaker(ManualClock(), slow_call_duration_s=1.0, slow_call_rate_threshold_percent=75.0)
    for duration in (1.0, 2.0, 0.1, 1.5):
        call(b, False, duration)
    assert b.state is BreakerState.OPEN
    assert b.snapshot().slow_call_rate_percent == 75.0


def test_minimum_above_the_window_is_the_window() -> None:
    b = breaker(ManualClock(), window_size=2, minimum_calls=10)
    call(b, True)
    call(b, True)
    assert b.state is BreakerState.OPEN
