"""Target parsing, the stream ledger and which endpoint a call goes to."""

from __future__ import annotations

import grpc
import pytest

from swinserve import BreakerConfig, ClientConfig
from swinserve.endpoints import ConnectivityWatch, Endpoint, Endpoints, new_guard, parse_target
from swinserve.ledger import StreamLedger
from swinserve.v1 import classifier_pb2

State = grpc.ChannelConnectivity


def test_targets() -> None:
    assert parse_target("localhost:8500") == ["localhost:8500"]
    assert parse_target(" a:1, b:2 ,") == ["a:1", "b:2"]
    assert parse_target("dns:///svc:8500") == ["dns:///svc:8500"]
    for bad in ("", "  ", ",,"):
        with pytest.raises(ValueError):
            parse_target(bad)


def endpoints(*reachable: bool) -> Endpoints[str]:
    config = ClientConfig(breaker=BreakerConfig(window_size=1, minimum_calls=1))
    made = []
    for index, ok in enumerate(reachable):
        name = f"e{index}"
        made.append(Endpoint(name, name, new_guard(name, config, lambda: 0.0), lambda ok=ok: not ok))
    return Endpoints(made)


def test_round_robin() -> None:
    picked = endpoints(True, True, True)
    assert [picked.pick().name for _ in range(6)] == ["e0", "e1", "e2", "e0", "e1", "e2"]


def test_unreachable_and_open_endpoints_are_passed_over() -> None:
    picked = endpoints(False, True, True)
    picked.all[2].guard.breaker.acquire()
    picked.all[2].guard.breaker.record(True, 0.0)  # opens it
    assert {picked.pick().name for _ in range(6)} == {"e1"}


def test_when_none_qualifies_an_admitting_one_is_picked() -> None:
    picked = endpoints(False, False)
    picked.all[0].guard.breaker.acquire()
    picked.all[0].guard.breaker.record(True, 0.0)
    assert {picked.pick().name for _ in range(4)} == {"e1"}


def test_connectivity_judgement() -> None:
    watch = ConnectivityWatch()
    assert not watch.unreachable()  # never seen: not judged
    watch.update(State.CONNECTING)
    assert not watch.unreachable()
    watch.update(State.TRANSIENT_FAILURE)
    assert watch.unreachable()
    watch.update(State.READY)
    assert not watch.unreachable()
    watch.update(State.IDLE)
    assert watch.unreachable()  # lost a connection it had


def test_the_ledger_delivers_each_answer_once_and_resends_in_order() -> None:
    ledger = StreamLedger(max_in_flight=2)
    first = StreamLedger.identified(classifier_pb2.ClassifyRequest())
    assert len(first.request_id) == 32
    second = classifier_pb2.ClassifyRequest(request_id="b")
    ledger.add(first)
    ledger.add(second)
    assert not ledger.has_room()
    with pytest.raises(ValueError):
        ledger.add(classifier_pb2.ClassifyRequest(request_id="b"))
    assert ledger.unsent(set()) is first
    assert ledger.unsent({first.request_id}) is second
    assert ledger.answer("b") and not ledger.answer("b")
    assert not ledger.done()
    ledger.input_exhausted = True
    assert ledger.answer(first.request_id) and ledger.done()
    with pytest.raises(ValueError):
        StreamLedger(0)
