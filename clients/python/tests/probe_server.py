"""The probe server of the conformance suite: a Classifier that answers each attempt with the
next scripted answer (past the end: OK) and records when each arrived and the deadline it
carried. A collaborator of the client under test, hosted on 127.0.0.1 port 0."""

from __future__ import annotations

import threading
import time
from concurrent import futures
from typing import Any

import grpc

from swinserve.v1 import classifier_pb2, classifier_pb2_grpc


class ProbeServer(classifier_pb2_grpc.ClassifierServicer):  # type: ignore[misc]
    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self._answers = list(answers)
        self._lock = threading.Lock()
        self.arrivals: list[float] = []
        self.deadlines_s: list[float | None] = []
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        classifier_pb2_grpc.add_ClassifierServicer_to_server(self, self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self._server.start()

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def attempts(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def Classify(  # noqa: N802 (the generated servicer's name)
        self, request: classifier_pb2.ClassifyRequest, context: grpc.ServicerContext
    ) -> classifier_pb2.ClassifyResponse:
        arrived = time.monotonic()
        remaining = context.time_remaining()
        with self._lock:
            index = len(self.arrivals)
            self.arrivals.append(arrived)
            # grpcio reports a call without a deadline as one very far away.
            self.deadlines_s.append(remaining if remaining is not None and remaining < 1e6 else None)
        answer = self._answers[index] if index < len(self._answers) else {"code": "OK"}
        if answer["code"] != "OK":
            if "pushback_ms" in answer:
                context.set_trailing_metadata((("grpc-retry-pushback-ms", str(answer["pushback_ms"])),))
            context.abort(grpc.StatusCode[answer["code"]], answer.get("message", ""))
        return classifier_pb2.ClassifyResponse(
            request_id=request.request_id,
            model=classifier_pb2.ResolvedModel(name=request.model.name, version=1),
            classifications=[
                classifier_pb2.Classification(
                    classes=[classifier_pb2.ClassScore(index=0, label="probe", score=1)]
                )
                for _ in request.images
            ],
        )

    def stop(self) -> None:
        self._server.stop(grace=None)
