"""tritonclient.grpc's model repository and statistics calls against swinserve.

Pending until RepositoryIndex / RepositoryModelLoad / RepositoryModelUnload and
ModelStatistics are merged: move this file up one folder to run it. The unload test loads the
model again before it ends, so the tests after it find the repository as it was.
"""

from __future__ import annotations

import numpy as np
import pytest
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException

from served import Served


@pytest.fixture(scope="module")
def client(grpc_target: str):
    client = grpcclient.InferenceServerClient(url=grpc_target)
    yield client
    client.close()


def infer_once(client, served: Served) -> None:
    tensor = grpcclient.InferInput("pixels", [1, served.side, served.side, 3], "FP32")
    tensor.set_data_from_numpy(np.ascontiguousarray(served.reference_pixels[:1]))
    client.infer(served.model, [tensor])


def test_the_repository_index_lists_the_model_ready(client, served: Served):
    index = client.get_model_repository_index(as_json=True)

    entries = [entry for entry in index["models"] if entry["name"] == served.model]
    assert entries, index
    assert all(entry["state"] == "READY" for entry in entries), entries
    listed = {entry.get("version") for entry in entries}
    assert listed == set(served.versions) or listed == {None}, entries


def test_unload_then_load_takes_the_model_out_and_back(client, served: Served):
    client.unload_model(served.model)
    try:
        assert not client.is_model_ready(served.model)
        with pytest.raises(InferenceServerException) as raised:
            infer_once(client, served)
        assert raised.value.status() in ("StatusCode.NOT_FOUND", "StatusCode.UNAVAILABLE")
        index = client.get_model_repository_index(as_json=True)
        states = {entry["state"] for entry in index["models"] if entry["name"] == served.model}
        assert "READY" not in states, index
    finally:
        client.load_model(served.model)
    assert client.is_model_ready(served.model)
    for version in served.versions:
        assert client.is_model_ready(served.model, version), f"version {version}"
    infer_once(client, served)


def test_loading_an_unknown_model_fails(client):
    with pytest.raises(InferenceServerException) as raised:
        client.load_model("no-such-model")
    assert "no-such-model" in raised.value.message()


def test_statistics_count_the_inferences(client, served: Served):
    def count() -> int:
        statistics = client.get_inference_statistics(served.model, as_json=True)
        stats = statistics["model_stats"]
        assert stats and all(entry["name"] == served.model for entry in stats), statistics
        return sum(int(entry.get("inference_count", 0)) for entry in stats)

    before = count()
    for _ in range(3):
        infer_once(client, served)
    assert count() >= before + 3
