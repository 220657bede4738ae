"""Backoff, the retry decision and the retry budget, on a fixed random value."""

from __future__ import annotations

import grpc
import pytest

from swinserve import RetryConfig
from swinserve.deadlines import attempt_timeout_s
from swinserve.retry import RetryBudget, RetryPolicy

UNAVAILABLE = grpc.StatusCode.UNAVAILABLE


def policy(random: float = 0.5, **config: object) -> RetryPolicy:
    return RetryPolicy(RetryConfig(**config), lambda: random)  # type: ignore[arg-type]


def test_backoff_doubles_up_to_the_cap() -> None:
    waits = [policy().backoff_s(failures, None) for failures in range(1, 7)]
    assert waits == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6, 2.0])


@pytest.mark.parametrize(("random", "wait"), [(0.0, 0.05), (0.999999, 0.15)])
def test_jitter_spreads_the_wait_by_half(random: float, wait: float) -> None:
    assert policy(random).backoff_s(1, None) == pytest.approx(wait)


def test_pushback_replaces_the_backoff() -> None:
    assert policy().backoff_s(1, (("grpc-retry-pushback-ms", "700"),)) == pytest.approx(0.7)


def test_no_retry_past_the_attempts() -> None:
    retry = policy(max_attempts=3)
    assert retry.wait_s(UNAVAILABLE, None, 2, 10.0) is not None
    assert retry.wait_s(UNAVAILABLE, None, 3, 10.0) is None


def test_no_retry_whose_wait_ends_at_or_after_the_deadline() -> None:
    retry = policy()
    assert retry.wait_s(UNAVAILABLE, None, 1, 0.1) is None
    assert retry.wait_s(UNAVAILABLE, None, 1, 0.1001) == pytest.approx(0.1)


def test_no_retry_of_a_caller_mistake() -> None:
    assert policy().wait_s(grpc.StatusCode.INVALID_ARGUMENT, None, 1, 10.0) is None


def test_the_budget_stops_retries_and_calls_refill_it() -> None:
    retry = policy(budget_minimum=2, budget_ratio=0.5)
    assert retry.wait_s(UNAVAILABLE, None, 1, 10.0) is not None
    assert retry.wait_s(UNAVAILABLE, None, 1, 10.0) is not None
    assert retry.wait_s(UNAVAILABLE, None, 1, 10.0) is None
    retry.budget.record_call()
    retry.budget.record_call()
    assert retry.wait_s(UNAVAILABLE, None, 1, 10.0) is not None


def test_the_budget_saves_up_no_more_than_its_minimum() -> None:
    budget = RetryBudget(ratio=1.0, minimum=2)
    for _ in range(10):
        budget.record_call()
    assert budget.tokens == 2
    assert [budget.try_acquire_retry() for _ in range(3)] == [True, True, False]


@pytest.mark.parametrize(
    ("remaining", "given"), [(4.0, 3.99), (0.5, 0.499), (20.0, 19.9), (200.0, 199.0), (0.0, 0.0)]
)
def test_attempts_leave_one_grpc_timeout_unit(remaining: float, given: float) -> None:
    assert attempt_timeout_s(remaining) == pytest.approx(given)
