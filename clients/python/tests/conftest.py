"""Shared fixtures: the real server (one per test session, started on first use by a conformance
test and always stopped) and expected.json."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from case_runner import Expected, load_cases
from server_process import HOW_TO_SET, ServerProcess, missing_environment


@pytest.fixture(scope="session")
def expected() -> Expected:
    missing = missing_environment()
    if missing:
        pytest.fail(HOW_TO_SET.format(missing=", ".join(missing)), pytrace=False)
    return Expected(os.environ["SWINSERVE_CONFORMANCE_EXPECTED"])


@pytest.fixture(scope="session")
def server(expected: Expected) -> Iterator[ServerProcess]:
    process = ServerProcess(
        os.environ["SWINSERVE_CONFORMANCE_SERVE"],
        os.environ["SWINSERVE_CONFORMANCE_REPOSITORY"],
        float(load_cases()["server"]["ready_within_s"]),
    )
    try:
        process.start()
        yield process
    finally:
        process.stop()


@pytest.fixture
def server_log_on_failure(server: ServerProcess, request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"server log: {server.log}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report
