"""Python client of swinserve, a gRPC server for SwinV2 image classifiers.

    import swinserve
    with swinserve.Client("localhost:8500") as client:
        print(client.classify("cat.jpg", model="swinv2-tiny").classifications[0].classes[0])

``swinserve.aio.AsyncClient`` is the asyncio variant. The messages are in ``swinserve.v1``.
"""

from .breaker import BreakerSnapshot, BreakerState
from .client import Client
from .config import BreakerConfig, ClientConfig, RetryConfig
from .errors import BreakerOpenError, BulkheadFullError, SwinserveError
from .images import classify_request, to_images
from .tls import ClientTls

__all__ = [
    "BreakerConfig",
    "BreakerOpenError",
    "BreakerSnapshot",
    "BreakerState",
    "BulkheadFullError",
    "Client",
    "ClientConfig",
    "ClientTls",
    "RetryConfig",
    "SwinserveError",
    "classify_request",
    "to_images",
]
