"""The generated gRPC stubs of one endpoint's channel (sync or asyncio alike)."""

from __future__ import annotations

from typing import Any

from grpc_health.v1 import health_pb2_grpc

from .v1 import classifier_pb2_grpc, model_service_pb2_grpc


# protoc writes no type stubs for the *_pb2_grpc modules: they are used as untyped.
_classifier: Any = classifier_pb2_grpc
_model_service: Any = model_service_pb2_grpc


class Stubs:
    def __init__(self, channel: Any) -> None:
        self.classifier: Any = _classifier.ClassifierStub(channel)
        self.models: Any = _model_service.ModelServiceStub(channel)
        self.health: Any = health_pb2_grpc.HealthStub(channel)
