"""What classify accepts as images, and the requests it builds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage

from swinserve import classify_request, to_images
from swinserve.v1 import classifier_pb2


def test_a_path_sends_the_files_bytes(tmp_path: Path) -> None:
    file = tmp_path / "cat.jpg"
    file.write_bytes(b"\xff\xd8jpeg")
    assert [image.encoded for image in to_images([file, str(file)])] == [b"\xff\xd8jpeg"] * 2


def test_bytes_are_sent_as_they_are() -> None:
    assert to_images(b"png")[0].encoded == b"png"
    assert to_images([bytearray(b"a"), memoryview(b"b")])[1].encoded == b"b"


def test_a_pil_image_is_sent_as_png() -> None:
    image = PilImage.new("RGB", (3, 2), (255, 0, 0))
    encoded = to_images(image)[0].encoded
    assert encoded.startswith(b"\x89PNG")
    assert PilImage.open(__import__("io").BytesIO(encoded)).size == (3, 2)


def test_an_hwc_array_is_one_pixel_tensor() -> None:
    pixels = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    (image,) = to_images(pixels)
    tensor = image.pixels
    assert (tensor.height, tensor.width, tensor.channels) == (2, 3, 3)
    assert list(tensor.values) == pytest.approx(pixels.ravel().tolist())


def test_an_nhwc_array_is_one_image_per_row() -> None:
    pixels = np.zeros((4, 2, 2, 3), dtype=np.float32)
    pixels[3] = 1.5
    images = to_images(pixels)
    assert len(images) == 4
    assert set(images[3].pixels.values) == {1.5}


def test_float64_pixels_become_float32() -> None:
    assert to_images(np.full((1, 1, 3), 0.1))[0].pixels.values[0] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("pixels", "error"),
    [
        (np.zeros((2, 2, 3), dtype=np.uint8), TypeError),
        (np.zeros((2, 2, 4), dtype=np.float32), ValueError),
        (np.zeros((2, 2), dtype=np.float32), ValueError),
    ],
)
def test_bad_pixels_are_refused(pixels: np.ndarray, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_images(pixels)


def test_unknown_inputs_and_no_images_are_refused() -> None:
    with pytest.raises(TypeError):
        to_images(42)
    with pytest.raises(ValueError):
        to_images([])


def test_image_messages_pass_through() -> None:
    image = classifier_pb2.Image(encoded=b"x")
    assert to_images([image]) == [image]


def test_the_request_carries_every_option() -> None:
    request = classify_request(
        b"x", model="m", version=2, top_k=3, include_logits=True, request_id="r1", routing_key="u"
    )
    assert request.model.name == "m" and request.model.version == 2
    assert (request.top_k, request.include_logits, request.request_id, request.routing_key) == (
        3, True, "r1", "u"
    )
    assert classify_request(b"x", model="m", label="stable").model.label == "stable"
    assert classify_request(b"x", model="m").model.WhichOneof("version_choice") is None


def test_version_and_label_are_exclusive() -> None:
    with pytest.raises(ValueError):
        classify_request(b"x", model="m", version=1, label="stable")
