"""The resilience settings: the Java ClientConfig defaults, every field mapped, bad values refused."""

from __future__ import annotations

import dataclasses

import pytest

from swinserve import BreakerConfig, ClientConfig, RetryConfig


def test_retry_defaults_are_the_java_clients() -> None:
    assert RetryConfig() == RetryConfig(
        max_attempts=3,
        initial_backoff_s=0.1,
        multiplier=2.0,
        max_backoff_s=2.0,
        jitter=0.5,
        budget_ratio=0.1,
        budget_minimum=10,
    )


def test_breaker_defaults_are_the_java_clients() -> None:
    assert BreakerConfig() == BreakerConfig(
        window_size=20,
        minimum_calls=10,
        failure_rate_threshold_percent=50.0,
        slow_call_duration_s=5.0,
        slow_call_rate_threshold_percent=80.0,
        wait_in_open_state_s=10.0,
        half_open_probes=3,
    )


def test_client_defaults_are_the_java_clients() -> None:
    config = ClientConfig()
    assert (config.default_deadline_s, config.max_concurrent_calls) == (10.0, 64)
    assert config.retry == RetryConfig() and config.breaker == BreakerConfig()


def test_every_field_can_be_set() -> None:
    retry = RetryConfig(7, 0.2, 3.0, 4.0, 0.25, 0.5, 20)
    assert dataclasses.astuple(retry) == (7, 0.2, 3.0, 4.0, 0.25, 0.5, 20)
    breaker = BreakerConfig(5, 4, 25.0, 1.5, 60.0, 2.0, 1)
    assert dataclasses.astuple(breaker) == (5, 4, 25.0, 1.5, 60.0, 2.0, 1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: RetryConfig(max_attempts=0),
        lambda: RetryConfig(initial_backoff_s=0),
        lambda: RetryConfig(max_backoff_s=-1),
        lambda: RetryConfig(multiplier=0.5),
        lambda: RetryConfig(jitter=1.5),
        lambda: RetryConfig(budget_ratio=-0.1),
        lambda: RetryConfig(budget_minimum=-1),
        lambda: BreakerConfig(window_size=0),
        lambda: BreakerConfig(minimum_calls=0),
        lambda: BreakerConfig(failure_rate_threshold_percent=0),
        lambda: BreakerConfig(failure_rate_threshold_percent=101),
        lambda: BreakerConfig(slow_call_duration_s=0),
        lambda: BreakerConfig(wait_in_open_state_s=0),
        lambda: BreakerConfig(half_open_probes=0),
        lambda: ClientConfig(default_deadline_s=0),
        lambda: ClientConfig(max_concurrent_calls=0),
    ],
)
def test_bad_values_are_refused(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def test_configs_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RetryConfig().max_attempts = 5  # type: ignore[misc]
