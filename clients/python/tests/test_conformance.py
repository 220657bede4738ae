"""The conformance suite (clients/conformance/cases.json) for both clients: one test per case id,
``test_conformance[<id>]`` for swinserve.Client and ``test_conformance_async[<id>]`` for
swinserve.aio.AsyncClient, against the real server the session starts."""

from __future__ import annotations

from typing import Any

import pytest

import swinserve
from async_facade import AsyncFacade
from case_runner import CaseRunner, Expected, load_cases
from server_process import ServerProcess

CASES: list[dict[str, Any]] = load_cases()["cases"]
IDS = [case["id"] for case in CASES]


@pytest.mark.usefixtures("server_log_on_failure")
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_conformance(case: dict[str, Any], server: ServerProcess, expected: Expected) -> None:
    CaseRunner(swinserve.Client, server, expected).run(case)


@pytest.mark.usefixtures("server_log_on_failure")
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_conformance_async(case: dict[str, Any], server: ServerProcess, expected: Expected) -> None:
    CaseRunner(AsyncFacade, server, expected).run(case)
