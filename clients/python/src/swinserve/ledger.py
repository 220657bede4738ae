"""The record a resumable ClassifyStream keeps, shared by the sync and asyncio streams: every
request sent and not yet answered, by ``request_id``, in the order it was read. Not thread-safe:
each stream guards it with its own lock."""

from __future__ import annotations

import uuid
from collections.abc import Set

from .v1 import classifier_pb2


class StreamLedger:
    def __init__(self, max_in_flight: int) -> None:
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight must be at least 1, was {max_in_flight}")
        self.max_in_flight = max_in_flight
        self.unanswered: dict[str, classifier_pb2.ClassifyRequest] = {}
        self.input_exhausted = False
        self.reading = False

    @staticmethod
    def identified(request: classifier_pb2.ClassifyRequest) -> classifier_pb2.ClassifyRequest:
        """``request``, or a copy with a generated ``request_id`` when it has none."""
        if request.request_id:
            return request
        copy = classifier_pb2.ClassifyRequest()
        copy.CopyFrom(request)
        copy.request_id = uuid.uuid4().hex
        return copy

    def add(self, request: classifier_pb2.ClassifyRequest) -> None:
        """Records a request read from the caller, about to be sent.

        Raises:
            ValueError: its request_id is already unanswered (ids must be unique).
        """
        if request.request_id in self.unanswered:
            raise ValueError(
                "a resumable stream needs unique request ids; "
                f"'{request.request_id}' is already in flight"
            )
        self.unanswered[request.request_id] = request

    def answer(self, request_id: str) -> bool:
        """Whether an answer to ``request_id`` is to be delivered: it is, once, while unanswered."""
        return self.unanswered.pop(request_id, None) is not None

    def unsent(self, sent: Set[str]) -> classifier_pb2.ClassifyRequest | None:
        """The oldest unanswered request not yet sent on the stream that has sent ``sent``."""
        for request_id, request in self.unanswered.items():
            if request_id not in sent:
                return request
        return None

    def has_room(self) -> bool:
        return len(self.unanswered) < self.max_in_flight and not self.reading

    def done(self) -> bool:
        return self.input_exhausted and not self.unanswered
