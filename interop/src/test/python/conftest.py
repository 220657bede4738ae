"""What the real clients' tests share: the server's addresses and the expected values.

The JUnit harness (interop/src/test/java, InteropSession) starts `swinserve serve` and
passes, in environment variables:

- SWINSERVE_GRPC_TARGET: host:port of the gRPC port (KServe v2 and TensorFlow Serving);
- SWINSERVE_HTTP_URL: host:port of the KServe v2 HTTP port, only when the server has one;
- SWINSERVE_INTEROP_FIXTURES: a JSON file describing the repository it serves (model,
  versions, labels, endpoint) and the expected values, all read from testdata/fixtures and
  never from the server; float tensors are raw little-endian float32 files beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from served import Served, load

def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        pytest.fail(f"{name} is not set: run these tests through the JUnit harness (interop/)")
    return value


@pytest.fixture(scope="session")
def served() -> Served:
    return load(Path(_required("SWINSERVE_INTEROP_FIXTURES")))


@pytest.fixture(scope="session")
def grpc_target() -> str:
    return _required("SWINSERVE_GRPC_TARGET")


@pytest.fixture(scope="session")
def http_url() -> str:
    return _required("SWINSERVE_HTTP_URL")
