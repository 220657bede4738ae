"""Resilience settings of a :class:`swinserve.Client`, with the Java ``ClientConfig`` defaults.

Durations are seconds (``float``), named with an ``_s`` suffix. Both classes are immutable and
validate themselves; change what differs with :func:`dataclasses.replace` or keyword arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tls import ClientTls


def _at_least_one(value: int, name: str) -> None:
    if value < 1:
        raise ValueError(f"{name} must be at least 1, was {value}")


def _positive(value: float, name: str) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive, was {value}")


def _percent(value: float, name: str) -> None:
    if not 0 < value <= 100:
        raise ValueError(f"{name} must be within (0, 100], was {value}")


@dataclass(frozen=True)
class RetryConfig:
    """Retries of one call, the only retries in the client (gRPC's own retry is switched off).

    Defaults: 3 attempts, 100 ms doubling to at most 2 s, ±50 % jitter, retries at most 10 % of
    calls plus 10.

    Attributes:
        max_attempts: attempts in all, the first included; 1 turns retries off.
        initial_backoff_s: the wait before the first retry, before jitter.
        multiplier: how much each further wait grows.
        max_backoff_s: the longest wait, before jitter.
        jitter: a wait is drawn uniformly from ``backoff * (1 ± jitter)``; 0 to 1.
        budget_ratio: retry tokens each call earns.
        budget_minimum: retry tokens at start, and the most that can be saved up.
    """

    max_attempts: int = 3
    initial_backoff_s: float = 0.1
    multiplier: float = 2.0
    max_backoff_s: float = 2.0
    jitter: float = 0.5
    budget_ratio: float = 0.1
    budget_minimum: int = 10

    def __post_init__(self) -> None:
        _at_least_one(self.max_attempts, "max_attempts")
        _positive(self.initial_backoff_s, "initial_backoff_s")
        _positive(self.max_backoff_s, "max_backoff_s")
        if self.multiplier < 1:
            raise ValueError(f"multiplier must be at least 1, was {self.multiplier}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be within [0, 1], was {self.jitter}")
        if self.budget_ratio < 0 or self.budget_minimum < 0:
            raise ValueError("budget_ratio and budget_minimum must not be negative")


@dataclass(frozen=True)
class BreakerConfig:
    """One endpoint's circuit breaker, over a window of the last ``window_size`` calls.

    Defaults: last 20 calls, at least 10; opens at 50 % failures or 80 % calls slower than 5 s;
    10 s open; 3 half-open probes.

    Attributes:
        window_size: calls the failure and slow-call rates are computed over.
        minimum_calls: calls the window must hold before a rate can open the breaker.
        failure_rate_threshold_percent: failure rate (server-unwell failures only) that opens it.
        slow_call_duration_s: a call taking at least this long is slow.
        slow_call_rate_threshold_percent: slow-call rate that opens it.
        wait_in_open_state_s: how long it refuses every call before letting probes through.
        half_open_probes: calls let through while half-open; their failure rate decides whether
            it closes or opens again.
    """

    window_size: int = 20
    minimum_calls: int = 10
    failure_rate_threshold_percent: float = 50.0
    slow_call_duration_s: float = 5.0
    slow_call_rate_threshold_percent: float = 80.0
    wait_in_open_state_s: float = 10.0
    half_open_probes: int = 3

    def __post_init__(self) -> None:
        _at_least_one(self.window_size, "window_size")
        _at_least_one(self.minimum_calls, "minimum_calls")
        _percent(self.failure_rate_threshold_percent, "failure_rate_threshold_percent")
        _positive(self.slow_call_duration_s, "slow_call_duration_s")
        _percent(self.slow_call_rate_threshold_percent, "slow_call_rate_threshold_percent")
        _positive(self.wait_in_open_state_s, "wait_in_open_state_s")
        _at_least_one(self.half_open_probes, "half_open_probes")


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client is built from besides its target.

    Attributes:
        default_deadline_s: the deadline of a call that names none; it spans every retry.
        retry: how failed calls are retried.
        breaker: the circuit breaker each endpoint gets.
        max_concurrent_calls: the bulkhead: calls in flight per endpoint; one more fails at once
            with RESOURCE_EXHAUSTED.
        tls: TLS (and mutual TLS) for every endpoint; None: plaintext.
    """

    default_deadline_s: float = 10.0
    retry: RetryConfig = RetryConfig()
    breaker: BreakerConfig = BreakerConfig()
    max_concurrent_calls: int = 64
    tls: ClientTls | None = None

    def __post_init__(self) -> None:
        _positive(self.default_deadline_s, "default_deadline_s")
        _at_least_one(self.max_concurrent_calls, "max_concurrent_calls")
