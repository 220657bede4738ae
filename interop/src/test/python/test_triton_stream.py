"""tritonclient.grpc's bidirectional stream (ModelStreamInfer) against swinserve.

Pending until ModelStreamInfer is merged: move this file up one folder to run it.
"""

from __future__ import annotations

import queue

import numpy as np
import pytest
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException

from served import Served, relative_error

WAIT_SECONDS = 60


@pytest.fixture
def stream(grpc_target: str):
    """A client with an open stream, and the queue its callback puts (result, error) on."""
    client = grpcclient.InferenceServerClient(url=grpc_target)
    answers: queue.Queue = queue.Queue()
    client.start_stream(callback=lambda result, error: answers.put((result, error)))
    yield client, answers
    client.stop_stream()
    client.close()


def pixels_input(pixels: np.ndarray) -> grpcclient.InferInput:
    tensor = grpcclient.InferInput("pixels", list(pixels.shape), "FP32")
    tensor.set_data_from_numpy(np.ascontiguousarray(pixels, dtype=np.float32))
    return tensor


def collect(answers: queue.Queue, count: int) -> list:
    return [answers.get(timeout=WAIT_SECONDS) for _ in range(count)]


def test_every_streamed_request_is_answered_with_the_reference_logits(stream, served: Served):
    client, answers = stream
    for index in range(len(served.reference_pixels)):
        client.async_stream_infer(
            served.model,
            [pixels_input(served.reference_pixels[index : index + 1])],
            request_id=f"image-{index}",
        )

    by_id = {}
    for result, error in collect(answers, len(served.reference_pixels)):
        assert error is None, error
        response = result.get_response()
        assert response.model_name == served.model
        by_id[response.id] = result.as_numpy("logits")[0]
    assert sorted(by_id) == [f"image-{i}" for i in range(len(served.reference_pixels))]
    for index, expected in enumerate(served.reference_logits):
        error = relative_error(by_id[f"image-{index}"], expected)
        assert error <= served.parity_bar, f"image {index}: relative error {error:.3g}"


def test_a_failed_request_is_answered_on_the_stream_which_goes_on(stream, served: Served):
    client, answers = stream
    pixels = [pixels_input(served.reference_pixels[:1])]
    client.async_stream_infer("no-such-model", pixels, request_id="lost")
    client.async_stream_infer(served.model, pixels, request_id="found", model_version="2")

    results = collect(answers, 2)
    errors = [error for _, error in results if error is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], InferenceServerException)
    assert "no-such-model" in errors[0].message()
    found = [result for result, error in results if error is None]
    assert len(found) == 1
    assert found[0].get_response().id == "found"
    assert found[0].get_response().model_version == "2"


def test_an_endpoint_and_classification_outputs_on_the_stream(stream, served: Served):
    client, answers = stream
    client.async_stream_infer(
        served.endpoint,
        [pixels_input(served.reference_pixels[:1])],
        outputs=[grpcclient.InferRequestedOutput("logits", class_count=2)],
    )

    ((result, error),) = collect(answers, 1)
    assert error is None, error
    assert result.get_response().model_version in served.endpoint_versions
    classes = result.as_numpy("logits")
    assert classes.shape == (1, 2)
