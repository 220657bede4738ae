"""The asyncio client: :class:`AsyncClient`, the same surface as :class:`swinserve.Client` with
``await`` and ``async for``, on grpc.aio. Create and use it on one event loop."""

from .client import AsyncClient

__all__ = ["AsyncClient"]
