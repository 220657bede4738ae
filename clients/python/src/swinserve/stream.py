"""A ClassifyStream that outlives broken streams (the Java client's ReconnectingStream), for the
blocking client.

Requests are read from the caller's iterator only while fewer than ``max_in_flight`` are
unanswered, and grpcio sends each only once the transport took the previous one (flow control).
When a stream breaks with a retryable status, or the server ends it with requests unanswered, a
new one is opened (next endpoint, after a backoff, within the retry budget, at most
``max_attempts - 1`` reconnections without an answer between them, never a wait that ends at or
after the deadline) and every unanswered request is sent again. An answer is delivered only
while its request is unanswered, so never twice; the stream ends only when every request is
answered. Each stream attempt asks its endpoint's breaker first and reports to it once: its first
answer or a normal end is a success, a break before any answer is judged as a unary failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import grpc

from .deadlines import attempt_timeout_s
from .endpoints import Endpoints, report
from .errors import BreakerOpenError, SwinserveError
from .ledger import StreamLedger
from .policy import code_of, trailers_of
from .retry import RetryPolicy
from .stubs import Stubs
from .v1 import classifier_pb2


class _Attempt:
    def __init__(self) -> None:
        self.sent: set[str] = set()
        self.ended = False
        self.call: Any = None


class SyncStream:
    def __init__(
        self,
        requests: Iterable[classifier_pb2.ClassifyRequest],
        max_in_flight: int,
        endpoints: Endpoints[Stubs],
        retry: RetryPolicy,
        deadline_at: float | None,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._source = iter(requests)
        self._ledger = StreamLedger(max_in_flight)
        self._endpoints = endpoints
        self._retry = retry
        self._deadline_at = deadline_at
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._current: _Attempt | None = None
        self._finished = False
        self._input_error: BaseException | None = None

    def _remaining(self) -> float | None:
        if self._deadline_at is None:
            return None
        return attempt_timeout_s(self._deadline_at - self._clock())

    def responses(self) -> Iterator[classifier_pb2.ClassifyResponse]:
        self._retry.budget.record_call()
        failed_in_a_row = 0
        first = True
        try:
            while True:
                endpoint = self._endpoints.pick()
                breaker = endpoint.guard.breaker
                cause: BaseException
                try:
                    breaker.acquire()
                except BreakerOpenError as refused:
                    if first:
                        raise
                    cause = refused
                else:
                    attempt = _Attempt()
                    with self._cond:
                        self._current = attempt
                    reported = False
                    try:
                        call = endpoint.stubs.classifier.ClassifyStream(
                            self._requests_for(attempt), timeout=self._remaining()
                        )
                        attempt.call = call
                        for response in call:
                            if not reported:
                                report(breaker, None, 0.0)
                                reported = True
                            with self._cond:
                                fresh = self._ledger.answer(response.request_id)
                                if fresh:
                                    failed_in_a_row = 0
                                    self._cond.notify_all()
                            if fresh:
                                yield response
                        if not reported:
                            report(breaker, None, 0.0)
                            reported = True
                        with self._cond:
                            attempt.ended = True
                            self._cond.notify_all()
                            left = len(self._ledger.unanswered)
                            done = self._ledger.done()
                        if self._input_error is not None:
                            raise self._input_error
                        if done:
                            return
                        cause = SwinserveError(
                            grpc.StatusCode.UNAVAILABLE,
                            f"server ended the stream with {left} request(s) unanswered",
                        )
                    except grpc.RpcError as error:
                        if not reported:
                            report(breaker, error, 0.0)
                            reported = True
                        with self._cond:
                            attempt.ended = True
                            self._cond.notify_all()
                        if self._input_error is not None:
                            raise self._input_error from error
                        cause = error
                    finally:
                        if not reported:
                            breaker.release()
                first = False
                remaining = self._remaining()
                wait = self._retry.wait_s(
                    code_of(cause),
                    trailers_of(cause),
                    failed_in_a_row + 1,
                    float("inf") if remaining is None else remaining,
                )
                if wait is None:
                    raise cause
                failed_in_a_row += 1
                self._sleep(wait)
        finally:
            with self._cond:
                self._finished = True
                current = self._current
                self._cond.notify_all()
            if current is not None and current.call is not None:
                current.call.cancel()

    def _requests_for(self, attempt: _Attempt) -> Iterator[classifier_pb2.ClassifyRequest]:
        """The requests of one stream attempt, on grpcio's sending thread: first every unanswered
        request this attempt has not sent, then new ones while there is room."""
        ledger = self._ledger
        while True:
            resend: classifier_pb2.ClassifyRequest | None = None
            with self._cond:
                while True:
                    if attempt.ended or self._finished or self._current is not attempt:
                        return
                    resend = ledger.unsent(attempt.sent)
                    if resend is not None:
                        attempt.sent.add(resend.request_id)
                        break
                    if ledger.input_exhausted or self._input_error is not None:
                        return
                    if ledger.has_room():
                        ledger.reading = True
                        break
                    self._cond.wait()
            if resend is not None:
                yield resend
                continue
            try:
                request = StreamLedger.identified(next(self._source))
                with self._cond:
                    ledger.add(request)
            except StopIteration:
                with self._cond:
                    ledger.input_exhausted = True
                    ledger.reading = False
                    self._cond.notify_all()
                return
            except Exception as error:  # the caller's iterator failed, or a repeated id
                with self._cond:
                    self._input_error = error
                    ledger.reading = False
                    self._cond.notify_all()
                if attempt.call is not None:
                    attempt.call.cancel()
                return
            with self._cond:
                ledger.reading = False
                self._cond.notify_all()
                if attempt.ended or self._current is not attempt:
                    return
                attempt.sent.add(request.request_id)
            yield request
