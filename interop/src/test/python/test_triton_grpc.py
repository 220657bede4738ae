"""Triton's own Python client, tritonclient.grpc, against swinserve's KServe v2 gRPC service."""

from __future__ import annotations

import numpy as np
import pytest
import tritonclient.grpc as grpcclient
from tritonclient.grpc import model_config_pb2
from tritonclient.utils import InferenceServerException

from served import Served, assert_encoded_answers_match, relative_error, top_classes


@pytest.fixture(scope="module")
def client(grpc_target: str):
    client = grpcclient.InferenceServerClient(url=grpc_target)
    yield client
    client.close()


def pixels_input(pixels: np.ndarray) -> grpcclient.InferInput:
    tensor = grpcclient.InferInput("pixels", list(pixels.shape), "FP32")
    tensor.set_data_from_numpy(np.ascontiguousarray(pixels, dtype=np.float32))
    return tensor


def images_input(encoded: list[bytes]) -> grpcclient.InferInput:
    tensor = grpcclient.InferInput("images", [len(encoded)], "BYTES")
    tensor.set_data_from_numpy(np.array(encoded, dtype=np.object_))
    return tensor


def error_of(call) -> InferenceServerException:
    with pytest.raises(InferenceServerException) as raised:
        call()
    return raised.value


def test_the_server_is_live_and_ready(client):
    assert client.is_server_live()
    assert client.is_server_ready()


def test_server_metadata_names_swinserve_and_the_classification_extension(client):
    metadata = client.get_server_metadata()
    assert metadata.name == "swinserve"
    assert "classification" in metadata.extensions


def test_model_ready_by_name_version_and_endpoint(client, served: Served):
    assert client.is_model_ready(served.model)
    for version in served.versions:
        assert client.is_model_ready(served.model, version), f"version {version}"
    assert not client.is_model_ready(served.model, "9"), "there is no version 9"
    assert not client.is_model_ready("no-such-model")
    assert client.is_model_ready(served.endpoint), "an endpoint is ready when its arms are"


def test_model_metadata_gives_platform_datatypes_and_any_batch_size(client, served: Served):
    metadata = client.get_model_metadata(served.model)
    assert metadata.name == served.model
    assert metadata.platform == "tensorflow_savedmodel"
    assert list(metadata.versions) == served.versions
    inputs = {tensor.name: (tensor.datatype, list(tensor.shape)) for tensor in metadata.inputs}
    assert inputs == {
        "images": ("BYTES", [-1, 1]),
        "pixels": ("FP32", [-1, served.side, served.side, 3]),
    }
    outputs = {tensor.name: (tensor.datatype, list(tensor.shape)) for tensor in metadata.outputs}
    assert outputs == {
        "logits": ("FP32", [-1, served.classes]),
        "probabilities": ("FP32", [-1, served.classes]),
    }
    as_json = client.get_model_metadata(served.model, "2", as_json=True)
    assert as_json["versions"] == ["2"]


def test_fp32_pixels_reproduce_the_reference_logits(client, served: Served):
    result = client.infer(
        served.model, [pixels_input(served.reference_pixels)], request_id="parity"
    )

    response = result.get_response()
    assert response.id == "parity"
    assert response.model_name == served.model
    assert response.model_version == served.default_version
    logits = result.as_numpy("logits")
    assert logits.dtype == np.float32
    assert logits.shape == served.reference_logits.shape
    for index, (row, expected) in enumerate(zip(logits, served.reference_logits)):
        error = relative_error(row, expected)
        assert error <= served.parity_bar, f"image {index}: relative error {error:.3g}"
    probabilities = result.as_numpy("probabilities")
    softmax = np.exp(logits - logits.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probabilities, softmax, rtol=1e-4, atol=1e-6)


def test_encoded_images_answer_as_their_expected_pixels(client, served: Served):
    encoded = client.infer(
        served.model,
        [images_input([image.encoded() for image in served.images])],
        outputs=[grpcclient.InferRequestedOutput("logits")],
    )
    pixels = client.infer(
        served.model,
        [pixels_input(np.concatenate([image.pixels for image in served.images]))],
        outputs=[grpcclient.InferRequestedOutput("logits")],
    )

    assert [output.name for output in encoded.get_response().outputs] == ["logits"]
    from_files = encoded.as_numpy("logits")
    from_pixels = pixels.as_numpy("logits")
    assert from_files.shape == (len(served.images), served.classes)
    names = [image.name for image in served.images]
    assert_encoded_answers_match(names, from_files, from_pixels)


@pytest.mark.parametrize("output", ["logits", "probabilities"])
def test_classification_outputs_are_the_top_classes_best_first(client, served: Served, output):
    count = 3
    result = client.infer(
        served.model,
        [pixels_input(served.reference_pixels)],
        outputs=[grpcclient.InferRequestedOutput(output, class_count=count)],
    )

    classes = result.as_numpy(output)
    assert classes.shape == (len(served.reference_logits), count)
    for row, expected in zip(classes, served.reference_logits):
        elements = [element.decode("utf-8").split(":", 2) for element in row]
        indices = [int(index) for _, index, _ in elements]
        assert indices == top_classes(expected, count)
        assert [label for _, _, label in elements] == [served.class_names[i] for i in indices]
        scores = [float(score) for score, _, _ in elements]
        assert scores == sorted(scores, reverse=True)
        if output == "logits":
            # Within the parity bar, plus the rounding of "%f" (six decimals).
            bound = served.parity_bar * np.linalg.norm(expected) + 1e-6
            np.testing.assert_allclose(scores, expected[indices], rtol=0, atol=bound)
        else:
            assert all(0 < score <= 1 for score in scores)


def test_a_version_number_or_a_label_selects_the_version(client, served: Served):
    pixels = [pixels_input(served.reference_pixels[:1])]
    for version in served.versions:
        response = client.infer(served.model, pixels, model_version=version).get_response()
        assert response.model_version == version
    for label, version in served.labels.items():
        result = client.infer(served.model, pixels, parameters={"label": label})
        assert result.get_response().model_version == version, f"label {label}"
        error = relative_error(result.as_numpy("logits")[0], served.reference_logits[0])
        assert error <= served.parity_bar


def test_an_endpoint_name_routes_to_its_arms(client, served: Served):
    pixels = [pixels_input(served.reference_pixels[:1])]
    answered = {}
    for key in range(24):
        response = client.infer(
            served.endpoint, pixels, parameters={"routing_key": f"user-{key}"}
        ).get_response()
        assert response.model_name == served.model
        answered[key] = response.model_version
    assert set(answered.values()) == set(served.endpoint_versions), answered
    again = client.infer(served.endpoint, pixels, parameters={"routing_key": "user-0"})
    assert again.get_response().model_version == answered[0], "a routing key keeps its arm"


def test_an_unknown_model_or_version_is_not_found(client, served: Served):
    pixels = [pixels_input(served.reference_pixels[:1])]
    error = error_of(lambda: client.infer("no-such-model", pixels))
    assert error.status() == "StatusCode.NOT_FOUND"
    assert "no-such-model" in error.message()
    error = error_of(lambda: client.infer(served.model, pixels, model_version="9"))
    assert error.status() == "StatusCode.NOT_FOUND"
    error = error_of(lambda: client.get_model_metadata("no-such-model"))
    assert error.status() == "StatusCode.NOT_FOUND"


def test_a_bad_tensor_is_an_invalid_argument_naming_the_input(client, served: Served):
    wrong = np.zeros((1, served.side, served.side, 4), dtype=np.float32)
    error = error_of(lambda: client.infer(served.model, [pixels_input(wrong)]))
    assert error.status() == "StatusCode.INVALID_ARGUMENT"
    assert "'pixels'" in error.message()
    error = error_of(
        lambda: client.infer(
            served.model,
            [pixels_input(served.reference_pixels[:1])],
            outputs=[grpcclient.InferRequestedOutput("embeddings")],
        )
    )
    assert error.status() == "StatusCode.INVALID_ARGUMENT"
    assert "embeddings" in error.message()


def test_model_config_describes_the_inputs_perf_analyzer_needs(client, served: Served):
    config = client.get_model_config(served.model).config
    assert config.name == served.model
    assert config.platform == "tensorflow_savedmodel"
    assert config.max_batch_size > 0
    inputs = {
        tensor.name: (model_config_pb2.DataType.Name(tensor.data_type),
                      list(tensor.dims), tensor.optional)
        for tensor in config.input
    }
    assert inputs == {
        "images": ("TYPE_STRING", [1], True),
        "pixels": ("TYPE_FP32", [served.side, served.side, 3], True),
    }
    assert {tensor.name: list(tensor.dims) for tensor in config.output} == {
        "logits": [served.classes],
        "probabilities": [served.classes],
    }
    with pytest.raises(InferenceServerException) as unknown:
        client.get_model_config("no-such-model")
    assert unknown.value.status() == "StatusCode.NOT_FOUND"
