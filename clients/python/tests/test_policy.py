"""Which statuses count against a breaker and are retried, and how pushback is read."""

from __future__ import annotations

import grpc
import pytest

from swinserve.policy import is_retryable, is_server_unwell, pushback_present, read_pushback_ms

Code = grpc.StatusCode


def trailers(value: str) -> tuple[tuple[str, str], ...]:
    return (("other", "x"), ("grpc-retry-pushback-ms", value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("700", 700), (" 250 ", 250), ("-1", -1), ("+5", 5), ("0", 0), ("1.5", None), ("", None),
     ("1_000", None), ("soon", None)],
)
def test_pushback_is_a_whole_number_of_milliseconds(value: str, expected: int | None) -> None:
    assert read_pushback_ms(trailers(value)) == expected


def test_no_trailers_no_pushback() -> None:
    assert read_pushback_ms(None) is None
    assert read_pushback_ms((("other", "1"),)) is None
    assert not pushback_present(())


def test_pushback_is_read_from_asyncio_metadata() -> None:
    metadata = grpc.aio.Metadata(("grpc-retry-pushback-ms", "40"))
    assert read_pushback_ms(metadata) == 40


def test_malformed_pushback_is_still_present() -> None:
    assert pushback_present(trailers("soon"))


@pytest.mark.parametrize(
    ("code", "pushback", "retried"),
    [
        (Code.UNAVAILABLE, None, True),
        (Code.UNAVAILABLE, "100", True),
        (Code.UNAVAILABLE, "-1", False),
        (Code.RESOURCE_EXHAUSTED, None, False),
        (Code.RESOURCE_EXHAUSTED, "100", True),
        (Code.RESOURCE_EXHAUSTED, "-1", False),
        (Code.DEADLINE_EXCEEDED, None, False),
        (Code.INVALID_ARGUMENT, None, False),
        (Code.INTERNAL, None, False),
        (Code.NOT_FOUND, "10", False),
    ],
)
def test_what_is_retried(code: grpc.StatusCode, pushback: str | None, retried: bool) -> None:
    assert is_retryable(code, None if pushback is None else trailers(pushback)) is retried


@pytest.mark.parametrize(
    ("code", "pushback", "unwell"),
    [
        (Code.UNAVAILABLE, None, True),
        (Code.DEADLINE_EXCEEDED, None, True),
        (Code.INTERNAL, None, True),
        (Code.UNKNOWN, None, True),
        (Code.RESOURCE_EXHAUSTED, "100", True),
        (Code.RESOURCE_EXHAUSTED, None, False),
        (Code.INVALID_ARGUMENT, None, False),
        (Code.NOT_FOUND, None, False),
        (Code.FAILED_PRECONDITION, None, False),
        (Code.CANCELLED, None, False),
    ],
)
def test_what_counts_against_a_breaker(
    code: grpc.StatusCode, pushback: str | None, unwell: bool
) -> None:
    assert is_server_unwell(code, None if pushback is None else trailers(pushback)) is unwell
