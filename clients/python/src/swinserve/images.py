"""Turning what a caller has into ``Image`` messages and a ``ClassifyRequest``.

An image can be a file path (``str`` or ``os.PathLike``: the file's bytes are sent as they are,
the server decodes JPEG, PNG, GIF and BMP), encoded ``bytes``, a PIL image (encoded as PNG; needs
the ``pillow`` extra), a NumPy array of preprocessed float32 pixels ``[height, width, 3]`` or
``[n, height, width, 3]`` (n images), or an ``Image`` message. ``images`` is one of these or a
list of them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any, Union

from .v1 import classifier_pb2

ImageInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Any]
Images = Union[ImageInput, Sequence[ImageInput]]


def _is_numpy(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "ndim")


def _is_pil(value: Any) -> bool:
    return any(cls.__module__.startswith("PIL.") for cls in type(value).__mro__)


def _pixels(array: Any) -> list[classifier_pb2.Image]:
    import numpy as np

    if array.dtype.kind != "f":
        raise TypeError(f"pixel arrays must be float32 (preprocessed), got dtype {array.dtype}")
    if array.ndim == 3:
        array = array[np.newaxis]
    if array.ndim != 4 or array.shape[-1] != 3:
        raise ValueError(
            f"pixel arrays must be [height, width, 3] or [n, height, width, 3], got {array.shape}"
        )
    images = []
    for one in np.ascontiguousarray(array, dtype=np.float32):
        height, width, channels = one.shape
        tensor = classifier_pb2.PixelTensor(height=height, width=width, channels=channels)
        tensor.values.extend(one.ravel().tolist())
        images.append(classifier_pb2.Image(pixels=tensor))
    return images


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def to_images(images: Images) -> list[classifier_pb2.Image]:
    """The ``Image`` messages for ``images`` (see the module comment), in order.

    Raises:
        TypeError: an input of a kind not listed, or integer pixels.
        ValueError: a pixel array of the wrong shape, or no image at all.
        OSError: a file that cannot be read.
    """
    if isinstance(images, (list, tuple)):
        items: Sequence[Any] = images
    else:
        items = [images]
    result: list[classifier_pb2.Image] = []
    for item in items:
        if isinstance(item, classifier_pb2.Image):
            result.append(item)
        elif isinstance(item, (bytes, bytearray, memoryview)):
            result.append(classifier_pb2.Image(encoded=bytes(item)))
        elif isinstance(item, (str, os.PathLike)):
            with open(item, "rb") as file:
                result.append(classifier_pb2.Image(encoded=file.read()))
        elif _is_numpy(item):
            result.extend(_pixels(item))
        elif _is_pil(item):
            result.append(classifier_pb2.Image(encoded=_png(item)))
        else:
            raise TypeError(f"cannot classify a {type(item).__name__}: {__doc__}")
    if not result:
        raise ValueError("no image to classify")
    return result


def model_spec(
    model: str, *, version: int | None = None, label: str | None = None
) -> classifier_pb2.ModelSpec:
    """A ``ModelSpec``: ``version`` and ``label`` are exclusive; neither means the default."""
    if version is not None and label is not None:
        raise ValueError("give a version or a label, not both")
    spec = classifier_pb2.ModelSpec(name=model)
    if version is not None:
        spec.version = version
    if label is not None:
        spec.label = label
    return spec


def classify_request(
    images: Images,
    *,
    model: str,
    version: int | None = None,
    label: str | None = None,
    top_k: int = 0,
    include_logits: bool = False,
    request_id: str | None = None,
    routing_key: str | None = None,
) -> classifier_pb2.ClassifyRequest:
    """A ``ClassifyRequest``: for :meth:`Client.classify_stream`, or to send as it is.

    ``version`` and ``label`` are exclusive; neither means the model's default version.
    ``top_k`` 0 means the server's default, 5.
    """
    return classifier_pb2.ClassifyRequest(
        model=model_spec(model, version=version, label=label),
        images=to_images(images),
        top_k=top_k,
        include_logits=include_logits,
        request_id=request_id or "",
        routing_key=routing_key or "",
    )
