"""The resumable ClassifyStream of the asyncio client: the same rules as ``swinserve.stream``,
with a writer task that awaits grpc.aio's ``write`` (flow control) and a reader that delivers
each answer once. Runs on one event loop; no locks needed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import grpc

from ..deadlines import attempt_timeout_s
from ..endpoints import Endpoints, report
from ..errors import BreakerOpenError, SwinserveError
from ..ledger import StreamLedger
from ..policy import code_of, trailers_of
from ..retry import RetryPolicy
from ..stubs import Stubs
from ..v1 import classifier_pb2

Requests = Iterable[classifier_pb2.ClassifyRequest] | AsyncIterable[classifier_pb2.ClassifyRequest]


class _Attempt:
    def __init__(self, call: Any) -> None:
        self.call = call
        self.sent: set[str] = set()
        self.ended = False
        self.write_failed = False


class AsyncStream:
    def __init__(
        self,
        requests: Requests,
        max_in_flight: int,
        endpoints: Endpoints[Stubs],
        retry: RetryPolicy,
        deadline_at: float | None,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._ledger = StreamLedger(max_in_flight)
        if isinstance(requests, AsyncIterable):
            self._async_source: AsyncIterator[classifier_pb2.ClassifyRequest] | None = (
                requests.__aiter__()
            )
            self._source = None
        else:
            self._async_source = None
            self._source = iter(requests)
        self._endpoints = endpoints
        self._retry = retry
        self._deadline_at = deadline_at
        self._clock = clock
        self._sleep = sleep
        self._changed = asyncio.Event()
        self._current: _Attempt | None = None
        self._finished = False
        self._input_error: BaseException | None = None
        self._writers: list[asyncio.Future[None]] = []

    def _remaining(self) -> float | None:
        if self._deadline_at is None:
            return None
        return attempt_timeout_s(self._deadline_at - self._clock())

    async def responses(self) -> AsyncIterator[classifier_pb2.ClassifyResponse]:
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
                    call = endpoint.stubs.classifier.ClassifyStream(timeout=self._remaining())
                    attempt = _Attempt(call)
                    self._current = attempt
                    writer = asyncio.ensure_future(self._write(attempt))
                    reported = False
                    try:
                        while True:
                            try:
                                response = await call.read()
                            except asyncio.CancelledError:
                                # grpc.aio reports a call the writer cancelled (the caller's
                                # requests failed) as a cancelled read.
                                if self._input_error is not None:
                                    raise self._input_error from None
                                raise
                            if response is grpc.aio.EOF:
                                break
                            if not reported:
                                report(breaker, None, 0.0)
                                reported = True
                            if self._ledger.answer(response.request_id):
                                failed_in_a_row = 0
                                self._changed.set()
                                yield response
                        if not reported:
                            report(breaker, None, 0.0)
                            reported = True
                        if self._input_error is not None:
                            raise self._input_error
                        if self._ledger.done():
                            return
                        cause = SwinserveError(
                            grpc.StatusCode.UNAVAILABLE,
                            "server ended the stream with "
                            f"{len(self._ledger.unanswered)} request(s) unanswered",
                        )
                    except grpc.RpcError as error:
                        if not reported:
                            report(breaker, error, 0.0)
                            reported = True
                        if self._input_error is not None:
                            raise self._input_error from error
                        cause = error
                        if attempt.write_failed and code_of(error) == grpc.StatusCode.INTERNAL:
                            # grpc.aio gives a call whose write failed (the server had already
                            # ended it) an INTERNAL status of its own, which can come before the
                            # server's: the stream broke, as UNAVAILABLE says.
                            cause = SwinserveError(
                                grpc.StatusCode.UNAVAILABLE,
                                f"the stream broke while sending: {error.details()}",
                            )
                    finally:
                        attempt.ended = True
                        self._changed.set()
                        if self._ledger.reading:
                            # Reading the caller's next request: let it finish into the ledger,
                            # from where the next attempt sends it.
                            self._writers.append(writer)
                        else:
                            writer.cancel()
                            with contextlib.suppress(asyncio.CancelledError):
                                await writer
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
                await self._sleep(wait)
        finally:
            self._finished = True
            self._changed.set()
            if self._current is not None:
                self._current.call.cancel()
            for reading in self._writers:
                reading.cancel()

    async def _next_request(self) -> classifier_pb2.ClassifyRequest:
        if self._async_source is not None:
            return await self._async_source.__anext__()
        assert self._source is not None
        try:
            return next(self._source)
        except StopIteration:
            raise StopAsyncIteration from None

    async def _write(self, attempt: _Attempt) -> None:
        """Sends first every unanswered request this attempt has not sent, then new ones while
        there is room; half-closes once the caller's requests are exhausted."""
        ledger = self._ledger
        call = attempt.call
        try:
            while True:
                resend: classifier_pb2.ClassifyRequest | None = None
                while True:
                    if attempt.ended or self._finished or self._current is not attempt:
                        return
                    resend = ledger.unsent(attempt.sent)
                    if resend is not None:
                        attempt.sent.add(resend.request_id)
                        break
                    if ledger.input_exhausted:
                        await call.done_writing()
                        return
                    if ledger.has_room():
                        ledger.reading = True
                        break
                    self._changed.clear()
                    await self._changed.wait()
                if resend is not None:
                    await call.write(resend)
                    continue
                try:
                    request = StreamLedger.identified(await self._next_request())
                    ledger.add(request)
                except StopAsyncIteration:
                    ledger.input_exhausted = True
                    continue
                except Exception as error:  # the caller's iterator failed, or a repeated id
                    self._input_error = error
                    call.cancel()
                    return
                finally:
                    ledger.reading = False
                    self._changed.set()
                if attempt.ended or self._current is not attempt:
                    return
                attempt.sent.add(request.request_id)
                await call.write(request)
        except asyncio.CancelledError:
            raise
        except Exception:  # the call ended under the writer: the reader sees its status
            attempt.write_failed = True
            return
