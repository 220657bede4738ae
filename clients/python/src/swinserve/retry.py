"""Retry waits and the retry budget shared by every call of a client (the Java client's Backoff,
RetryBudget and the retry half of ResilienceFactory)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import grpc

from .config import RetryConfig
from .policy import is_retryable, read_pushback_ms


class RetryBudget:
    """A token bucket that keeps retries from multiplying load in an outage: every call earns
    ``ratio`` tokens, every retry spends one, and a retry without a whole token is not made. It
    starts with, and holds at most, ``minimum`` tokens (at least one). Thread-safe."""

    def __init__(self, ratio: float, minimum: int) -> None:
        self._ratio = ratio
        self._capacity = float(max(1, minimum))
        self._tokens = float(minimum)
        self._lock = threading.Lock()

    def record_call(self) -> None:
        with self._lock:
            self._tokens = min(self._capacity, self._tokens + self._ratio)

    def try_acquire_retry(self) -> bool:
        with self._lock:
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True

    @property
    def tokens(self) -> float:
        with self._lock:
            return self._tokens


class RetryPolicy:
    """Decides whether, and after how long, a failed attempt is tried again.

    ``random`` yields values in [0, 1) for the jitter; tests pass a fixed one.
    """

    def __init__(self, config: RetryConfig, random: Callable[[], float]) -> None:
        self.config = config
        self.budget = RetryBudget(config.budget_ratio, config.budget_minimum)
        self._random = random

    def backoff_s(self, failures: int, trailers: Any) -> float:
        """The wait before attempt ``failures + 1``: the server's pushback when it sent a
        non-negative one, else exponential backoff with jitter (at least 1 ms)."""
        pushback = read_pushback_ms(trailers)
        if pushback is not None and pushback >= 0:
            return pushback / 1000.0
        config = self.config
        backoff_ms = min(
            config.max_backoff_s * 1000.0,
            config.initial_backoff_s * 1000.0 * config.multiplier ** (failures - 1),
        )
        jittered = backoff_ms * (1 - config.jitter + 2 * config.jitter * self._random())
        return max(1, round(jittered)) / 1000.0

    def wait_s(
        self, code: grpc.StatusCode, trailers: Any, failures: int, remaining_s: float
    ) -> float | None:
        """The wait before another attempt after ``failures`` failed ones, or None when there is
        to be none: the failure is not retryable, the attempts are used up, the wait would end at
        or after the deadline (``remaining_s`` from now), or the budget has no token (one is spent
        when a wait is returned)."""
        if failures >= self.config.max_attempts or not is_retryable(code, trailers):
            return None
        wait = self.backoff_s(failures, trailers)
        if wait >= remaining_s or not self.budget.try_acquire_retry():
            return None
        return wait
