"""tritonclient.http, unchanged, against a swinserve server serving model 'mini' (versions 1, 2).

usage: python tritonclient_http.py HOST:PORT IMAGE_FILE; prints 'tritonclient.http OK' and exits 0.
"""
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

url, image_file = sys.argv[1], sys.argv[2]
client = httpclient.InferenceServerClient(url)

assert client.is_server_live()
assert client.is_server_ready()
assert client.is_model_ready("mini")
assert client.is_model_ready("mini", "2")
assert not client.is_model_ready("mini", "9")
assert not client.is_model_ready("nope")
assert client.get_server_metadata()["name"] == "swinserve"
metadata = client.get_model_metadata("mini")
assert [tensor["name"] for tensor in metadata["inputs"]] == ["images", "pixels"], metadata
side = metadata["inputs"][1]["shape"][1]
config = client.get_model_config("mini")
assert config["max_batch_size"] >= 1, config
assert [(tensor["name"], tensor["dims"], tensor["optional"]) for tensor in config["input"]] == [
    ("images", [1], True),
    ("pixels", [side, side, 3], True),
], config

# An encoded image in binary (the client's default), all outputs in binary (no outputs named).
with open(image_file, "rb") as f:
    encoded = np.array([f.read()], dtype=np.object_)
images = httpclient.InferInput("images", [1], "BYTES")
images.set_data_from_numpy(encoded)
result = client.infer("mini", [images], request_id="r1")
logits = result.as_numpy("logits")
assert logits.shape == (1, 10), logits.shape
assert abs(float(result.as_numpy("probabilities").sum()) - 1.0) < 1e-4
assert result.get_response()["id"] == "r1"
assert result.get_response()["model_version"] == "1"

# The classification extension, answered as JSON.
top = client.infer(
    "mini",
    [images],
    outputs=[httpclient.InferRequestedOutput("logits", binary_data=False, class_count=3)],
).as_numpy("logits")
assert top.shape == (1, 3), top.shape
best = top[0][0].decode() if isinstance(top[0][0], bytes) else top[0][0]
assert int(best.split(":")[1]) == int(np.argmax(logits[0])), (best, logits)

# Pixels as JSON and in binary, on version 2: the same logits.
pixels = np.random.default_rng(7).random((2, side, side, 3), dtype=np.float32)
as_json = httpclient.InferInput("pixels", list(pixels.shape), "FP32")
as_json.set_data_from_numpy(pixels, binary_data=False)
as_binary = httpclient.InferInput("pixels", list(pixels.shape), "FP32")
as_binary.set_data_from_numpy(pixels)
json_logits = client.infer(
    "mini", [as_json], model_version="2",
    outputs=[httpclient.InferRequestedOutput("logits", binary_data=False)],
).as_numpy("logits")
binary_logits = client.infer("mini", [as_binary], model_version="2").as_numpy("logits")
assert json_logits.shape == (2, 10)
assert np.allclose(json_logits, binary_logits, rtol=1e-5, atol=1e-5)

# Errors carry the server's message and status.
try:
    client.infer("nope", [images])
    raise AssertionError("no error for an unknown model")
except InferenceServerException as e:
    assert e.status() == "404" and "nope" in e.message(), (e.status(), e.message())

print("tritonclient.http OK")
