"""TensorFlow Serving's Python API, tensorflow-serving-api, against swinserve's gRPC port."""

from __future__ import annotations

import grpc
import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.framework import types_pb2
from tensorflow_serving.apis import (
    get_model_metadata_pb2,
    get_model_status_pb2,
    model_service_pb2_grpc,
    predict_pb2,
    prediction_service_pb2_grpc,
)

from served import Served, assert_encoded_answers_match, relative_error

TIMEOUT_SECONDS = 60


@pytest.fixture(scope="module")
def channel(grpc_target: str):
    channel = grpc.insecure_channel(grpc_target)
    yield channel
    channel.close()


@pytest.fixture(scope="module")
def prediction(channel):
    return prediction_service_pb2_grpc.PredictionServiceStub(channel)


@pytest.fixture(scope="module")
def models(channel):
    return model_service_pb2_grpc.ModelServiceStub(channel)


def predict_request(name: str, alias: str, tensor) -> predict_pb2.PredictRequest:
    request = predict_pb2.PredictRequest()
    request.model_spec.name = name
    request.model_spec.signature_name = "serving_default"
    request.inputs[alias].CopyFrom(tensor)
    return request


def pixels(served: Served, count: int | None = None):
    """The reference pixels as tf.make_tensor_proto writes them (tensor_content)."""
    values = served.reference_pixels if count is None else served.reference_pixels[:count]
    return tf.make_tensor_proto(values, dtype=tf.float32)


def error_of(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value


def test_predict_float_pixels_reproduce_the_reference_logits(prediction, served: Served):
    response = prediction.Predict(
        predict_request(served.model, "pixel_values", pixels(served)), TIMEOUT_SECONDS
    )

    assert response.model_spec.name == served.model
    assert str(response.model_spec.version.value) == served.default_version
    assert response.model_spec.signature_name == "serving_default"
    assert set(response.outputs) == {"logits", "probabilities"}
    logits = tf.make_ndarray(response.outputs["logits"])
    assert logits.dtype == np.float32
    assert logits.shape == served.reference_logits.shape
    for index, (row, expected) in enumerate(zip(logits, served.reference_logits)):
        error = relative_error(row, expected)
        assert error <= served.parity_bar, f"image {index}: relative error {error:.3g}"
    probabilities = tf.make_ndarray(response.outputs["probabilities"])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_predict_takes_float_val_as_well_as_tensor_content(prediction, served: Served):
    tensor = tf.make_tensor_proto(served.reference_pixels[:1], dtype=tf.float32)
    typed = type(tensor)()
    typed.dtype = types_pb2.DT_FLOAT
    typed.tensor_shape.CopyFrom(tensor.tensor_shape)
    typed.float_val.extend(served.reference_pixels[:1].ravel().tolist())
    request = predict_request(served.model, "pixel_values", typed)
    request.output_filter.append("logits")

    response = prediction.Predict(request, TIMEOUT_SECONDS)

    assert set(response.outputs) == {"logits"}
    logits = tf.make_ndarray(response.outputs["logits"])
    assert relative_error(logits[0], served.reference_logits[0]) <= served.parity_bar


def test_predict_encoded_images_as_dt_string_answer_as_their_pixels(prediction, served: Served):
    encoded = tf.make_tensor_proto([image.encoded() for image in served.images])
    assert encoded.dtype == types_pb2.DT_STRING
    from_files = tf.make_ndarray(
        prediction.Predict(
            predict_request(served.model, "images", encoded), TIMEOUT_SECONDS
        ).outputs["logits"]
    )
    stacked = np.concatenate([image.pixels for image in served.images])
    from_pixels = tf.make_ndarray(
        prediction.Predict(
            predict_request(
                served.model, "pixel_values", tf.make_tensor_proto(stacked, dtype=tf.float32)
            ),
            TIMEOUT_SECONDS,
        ).outputs["logits"]
    )

    assert from_files.shape == (len(served.images), served.classes)
    names = [image.name for image in served.images]
    assert_encoded_answers_match(names, from_files, from_pixels)


def test_predict_selects_a_version_or_a_version_label(prediction, served: Served):
    for version in served.versions:
        request = predict_request(served.model, "pixel_values", pixels(served, 1))
        request.model_spec.version.value = int(version)
        response = prediction.Predict(request, TIMEOUT_SECONDS)
        assert str(response.model_spec.version.value) == version
    for label, version in served.labels.items():
        request = predict_request(served.model, "pixel_values", pixels(served, 1))
        request.model_spec.version_label = label
        response = prediction.Predict(request, TIMEOUT_SECONDS)
        assert str(response.model_spec.version.value) == version, f"label {label}"


def test_predict_on_an_endpoint_name_answers_from_one_of_its_arms(prediction, served: Served):
    response = prediction.Predict(
        predict_request(served.endpoint, "pixel_values", pixels(served, 1)), TIMEOUT_SECONDS
    )
    assert response.model_spec.name == served.model
    assert str(response.model_spec.version.value) in served.endpoint_versions
    logits = tf.make_ndarray(response.outputs["logits"])
    assert relative_error(logits[0], served.reference_logits[0]) <= served.parity_bar


def test_predict_errors_have_their_status_codes(prediction, served: Served):
    error = error_of(
        lambda: prediction.Predict(
            predict_request("no-such-model", "pixel_values", pixels(served, 1)), TIMEOUT_SECONDS
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "no-such-model" in error.details()
    wrong = tf.make_tensor_proto(np.zeros((1, 4), dtype=np.int32))
    error = error_of(
        lambda: prediction.Predict(
            predict_request(served.model, "pixel_values", wrong), TIMEOUT_SECONDS
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "pixel_values" in error.details()


def test_get_model_metadata_gives_the_signature_def(prediction, served: Served):
    request = get_model_metadata_pb2.GetModelMetadataRequest()
    request.model_spec.name = served.model
    request.metadata_field.append("signature_def")

    response = prediction.GetModelMetadata(request, TIMEOUT_SECONDS)

    assert response.model_spec.name == served.model
    assert str(response.model_spec.version.value) == served.default_version
    signatures = get_model_metadata_pb2.SignatureDefMap()
    assert response.metadata["signature_def"].Unpack(signatures)
    signature = signatures.signature_def["serving_default"]
    assert signature.method_name == "tensorflow/serving/predict"

    def described(tensors):
        return {
            alias: (info.dtype, [dim.size for dim in info.tensor_shape.dim])
            for alias, info in tensors.items()
        }

    assert described(signature.inputs) == {
        "pixel_values": (types_pb2.DT_FLOAT, [-1, served.side, served.side, 3])
    }
    assert described(signature.outputs) == {
        "logits": (types_pb2.DT_FLOAT, [-1, served.classes]),
        "probabilities": (types_pb2.DT_FLOAT, [-1, served.classes]),
    }


def test_get_model_status_lists_every_version_available(models, served: Served):
    request = get_model_status_pb2.GetModelStatusRequest()
    request.model_spec.name = served.model

    response = models.GetModelStatus(request, TIMEOUT_SECONDS)

    available = get_model_status_pb2.ModelVersionStatus.AVAILABLE
    states = {str(status.version): status.state for status in response.model_version_status}
    assert states == {version: available for version in served.versions}
    for label, version in served.labels.items():
        request.model_spec.version_label = label
        response = models.GetModelStatus(request, TIMEOUT_SECONDS)
        assert [str(status.version) for status in response.model_version_status] == [version]
    request = get_model_status_pb2.GetModelStatusRequest()
    request.model_spec.name = "no-such-model"
    error = error_of(lambda: models.GetModelStatus(request, TIMEOUT_SECONDS))
    assert error.code() == grpc.StatusCode.NOT_FOUND
