"""Client behaviour the conformance cases do not reach, against in-process servers on loopback:
the bulkhead, stream resends after a break or an early end, duplicate answers, bad request ids,
and the same stream rules in the asyncio client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest

import swinserve
from swinserve.aio import AsyncClient
from swinserve.v1 import classifier_pb2, classifier_pb2_grpc


class FlakyStreamServer(classifier_pb2_grpc.ClassifierServicer):  # type: ignore[misc]
    """Stream 1 answers ``break_after`` requests and then fails UNAVAILABLE (or, with
    ``end_ok``, ends cleanly); later streams answer every request twice. With ``batch`` a stream
    reads every request before it answers any."""

    def __init__(self, break_after: int, end_ok: bool = False, batch: bool = False) -> None:
        self.break_after = break_after
        self.end_ok = end_ok
        self.batch = batch
        self.streams = 0
        self.received: list[str] = []
        self.release = threading.Event()
        self.arrived = threading.Event()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        classifier_pb2_grpc.add_ClassifierServicer_to_server(self, self._server)
        self.target = f"127.0.0.1:{self._server.add_insecure_port('127.0.0.1:0')}"
        self._server.start()

    def Classify(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.arrived.set()
        self.release.wait(10)
        return classifier_pb2.ClassifyResponse(request_id=request.request_id)

    def ClassifyStream(self, requests: Iterator[Any], context: Any) -> Iterator[Any]:  # noqa: N802
        self.streams += 1
        first = self.streams == 1
        if self.batch:  # answers only once the client has sent everything
            requests = iter(list(requests))
        answered = 0
        for request in requests:
            self.received.append(request.request_id)
            if first and answered == self.break_after:
                if self.end_ok:
                    return
                context.abort(grpc.StatusCode.UNAVAILABLE, "going away")
            answer = classifier_pb2.ClassifyResponse(request_id=request.request_id)
            yield answer
            answered += 1
            if not first:
                yield answer

    def stop(self) -> None:
        self._server.stop(grace=None)


@pytest.fixture
def flaky() -> Iterator[FlakyStreamServer]:
    server = FlakyStreamServer(break_after=5)
    yield server
    server.release.set()
    server.stop()


def requests(count: int) -> Iterator[classifier_pb2.ClassifyRequest]:
    for i in range(count):
        yield swinserve.classify_request(b"x", model="m", request_id=f"r{i}")


FAST = swinserve.RetryConfig(initial_backoff_s=0.01, max_backoff_s=0.02)


def test_a_broken_stream_is_resumed_and_every_answer_delivered_once(
    flaky: FlakyStreamServer,
) -> None:
    with swinserve.Client(flaky.target, retry=FAST) as client:
        ids = [r.request_id for r in client.classify_stream(requests(40), max_in_flight=4)]
    assert sorted(ids) == sorted(f"r{i}" for i in range(40))
    assert len(ids) == len(set(ids))
    assert flaky.streams == 2
    assert len(flaky.received) > 40  # unanswered requests were sent again


def test_a_stream_ended_with_requests_unanswered_is_resumed() -> None:
    server = FlakyStreamServer(break_after=3, end_ok=True)
    try:
        with swinserve.Client(server.target, retry=FAST) as client:
            ids = [r.request_id for r in client.classify_stream(requests(10), max_in_flight=2)]
    finally:
        server.stop()
    assert sorted(ids) == sorted(f"r{i}" for i in range(10)) and server.streams == 2


@pytest.fixture
def batching() -> Iterator[FlakyStreamServer]:
    server = FlakyStreamServer(break_after=5, batch=True)
    yield server
    server.stop()


def test_a_repeated_request_id_fails_the_stream(batching: FlakyStreamServer) -> None:
    repeated = [swinserve.classify_request(b"x", model="m", request_id="same")] * 2
    with swinserve.Client(batching.target) as client:
        with pytest.raises(ValueError, match="unique"):
            list(client.classify_stream(repeated, max_in_flight=4))


def test_request_ids_are_generated_when_missing(flaky: FlakyStreamServer) -> None:
    unnamed = [swinserve.classify_request(b"x", model="m") for _ in range(3)]
    with swinserve.Client(flaky.target) as client:
        ids = [r.request_id for r in client.classify_stream(unnamed)]
    assert len(set(ids)) == 3 and all(len(i) == 32 for i in ids)


def test_without_retries_a_broken_stream_fails(flaky: FlakyStreamServer) -> None:
    with swinserve.Client(flaky.target, retry=swinserve.RetryConfig(max_attempts=1)) as client:
        with pytest.raises(grpc.RpcError) as failure:
            list(client.classify_stream(requests(20), max_in_flight=2))
    assert failure.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_full_bulkhead_refuses_at_once(flaky: FlakyStreamServer) -> None:
    with swinserve.Client(flaky.target, max_concurrent_calls=1) as client:
        first = futures.ThreadPoolExecutor(1).submit(client.classify, b"x", model="m")
        assert flaky.arrived.wait(5)
        with pytest.raises(swinserve.BulkheadFullError) as refused:
            client.classify(b"x", model="m")
        assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        flaky.release.set()
        assert first.result(5).request_id == ""
        assert client.breakers()[0].buffered_calls == 1  # the refusal is not counted


def test_the_async_stream_resumes_too(flaky: FlakyStreamServer) -> None:
    async def run() -> list[str]:
        async def source() -> Any:
            for request in requests(40):
                yield request

        async with AsyncClient(flaky.target, retry=FAST) as client:
            return [r.request_id async for r in client.classify_stream(source(), max_in_flight=4)]

    ids = asyncio.run(run())
    assert sorted(ids) == sorted(f"r{i}" for i in range(40)) and len(ids) == len(set(ids))
    assert flaky.streams == 2


def test_the_async_client_refuses_a_repeated_request_id(batching: FlakyStreamServer) -> None:
    async def run() -> None:
        repeated = [swinserve.classify_request(b"x", model="m", request_id="same")] * 2
        async with AsyncClient(batching.target) as client:
            async for _ in client.classify_stream(repeated):
                pass

    with pytest.raises(ValueError, match="unique"):
        asyncio.run(run())
