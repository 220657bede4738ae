"""Runs one case of clients/conformance/cases.json (read its README) against a client made by
``make_client(target, **settings)``: a ``swinserve.Client``, or the asyncio client behind
``AsyncFacade``. Every check raises AssertionError saying what differed."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest
from grpc_health.v1 import health_pb2

import swinserve
from swinserve.v1 import model_service_pb2

from probe_server import ProbeServer
from server_process import ServerProcess

CASES_FILE = Path(__file__).resolve().parents[2] / "conformance" / "cases.json"


def load_cases() -> dict[str, Any]:
    with open(CASES_FILE) as file:
        cases: dict[str, Any] = json.load(file)
    return cases


def _float32(spec: dict[str, Any]) -> np.ndarray:
    return np.fromfile(spec["file"], dtype="<f4").reshape(spec["shape"])


class Expected:
    """expected.json, with its float32 files read."""

    def __init__(self, path: str) -> None:
        with open(path) as file:
            self.data: dict[str, Any] = json.load(file)
        self.reference_pixels = _float32(self.data["reference"]["pixels"])
        self.reference_logits = np.asarray(self.data["reference"]["logits"], dtype=np.float64)
        self.images: list[dict[str, Any]] = self.data["images"]
        self.class_names: list[str] = self.data["class_names"]
        self.parity_bar = float(self.data["parity_bar"])


def client_settings(client: dict[str, Any]) -> dict[str, Any]:
    """A case's ``client`` overrides as Client keyword arguments (unknown keys fail the case)."""
    renames = {
        "initial_backoff_ms": "initial_backoff_s",
        "max_backoff_ms": "max_backoff_s",
        "wait_in_open_state_ms": "wait_in_open_state_s",
    }

    def converted(values: dict[str, Any]) -> dict[str, Any]:
        return {
            renames.get(key, key): value / 1000 if key.endswith("_ms") else value
            for key, value in values.items()
        }

    settings: dict[str, Any] = {}
    for key, value in client.items():
        if key == "tls":
            settings["tls"] = client_tls(value)
            continue
        if key == "default_deadline_ms":
            settings["default_deadline"] = value / 1000
        elif key == "retry":
            settings["retry"] = swinserve.RetryConfig(**converted(value))
        elif key == "breaker":
            settings["breaker"] = swinserve.BreakerConfig(**converted(value))
        else:
            raise AssertionError(f"client setting '{key}' is unknown to the Python runner")
    return settings


def environment_file(name: str) -> str:
    """A case's file name (``tls_ca``) as the path in ``SWINSERVE_CONFORMANCE_TLS_CA``."""
    variable = "SWINSERVE_CONFORMANCE_" + name.upper()
    path = os.environ.get(variable)
    assert path, f"the case names {variable}, which is not set"
    return path


def client_tls(files: dict[str, str]) -> swinserve.ClientTls:
    """A case's ``client.tls`` as ClientTls (unknown keys fail the case)."""
    unknown = set(files) - {"trusted_cas", "cert_chain", "private_key"}
    assert not unknown, f"TLS settings {sorted(unknown)} are unknown to the Python runner"
    return swinserve.ClientTls(
        **{setting: environment_file(name) for setting, name in files.items()}
    )


def relative_error(out: Any, ref: Any) -> float:
    out64 = np.asarray(out, dtype=np.float64)
    ref64 = np.asarray(ref, dtype=np.float64)
    return float(np.linalg.norm(out64 - ref64) / np.linalg.norm(ref64))


class CaseRunner:
    def __init__(
        self,
        make_client: Callable[..., Any],
        server: ServerProcess,
        expected: Expected,
    ) -> None:
        self.make_client = make_client
        self.server = server
        self.expected = expected

    def run(self, case: dict[str, Any]) -> None:
        getattr(self, "case_" + case["kind"])(case)

    # --- inputs -----------------------------------------------------------------------------

    def rows(self, request: dict[str, Any]) -> list[int]:
        return list(request.get("rows", range(len(self.expected.reference_pixels))))

    def images(self, request: dict[str, Any]) -> Any:
        kind = request["input"]
        if kind == "reference_pixels":
            return self.expected.reference_pixels[self.rows(request)]
        if kind == "image_files":
            return [image["file"] for image in self.expected.images]
        if kind == "image_bytes":
            return [Path(image["file"]).read_bytes() for image in self.expected.images]
        if kind == "corrupt_bytes":
            return request["bytes_utf8"].encode("utf-8")
        raise AssertionError(f"input '{kind}' is unknown to the Python runner")

    @staticmethod
    def options(request: dict[str, Any]) -> dict[str, Any]:
        options: dict[str, Any] = {"model": request["model"]}
        for key in ("version", "label", "top_k", "include_logits"):
            if key in request:
                options[key] = request[key]
        return options

    def bar(self, value: Any) -> float:
        return self.expected.parity_bar if value == "parity_bar" else float(value)

    # --- kinds ------------------------------------------------------------------------------

    def case_health(self, case: dict[str, Any]) -> None:
        with self.make_client(self.server.target) as client:
            status = client.health()
        name = health_pb2.HealthCheckResponse.ServingStatus.Name(status)
        assert name == case["expect"]["status"], f"health is {name}"

    def case_models(self, case: dict[str, Any]) -> None:
        expect = case["expect"]
        with self.make_client(self.server.target) as client:
            listing = client.models()
        models = {model.name: model for model in listing.models}
        assert expect["model"] in models, f"models listed: {sorted(models)}"
        model = models[expect["model"]]
        available = sorted(
            v.version for v in model.versions if v.state == model_service_pb2.AVAILABLE
        )
        assert available == expect["available_versions"], f"available versions {available}"
        labels = dict(model.labels)
        for label, version in expect["labels"].items():
            assert labels.get(label) == version, f"labels {labels}"
        assert model.default_version == expect["default_version"]

    def case_classify(self, case: dict[str, Any], server: ServerProcess | None = None) -> None:
        request, expect = case["request"], case["expect"]
        images = self.images(request)
        target = (server or self.server).target
        with self.make_client(target, **client_settings(case.get("client", {}))) as client:
            response = client.classify(images, **self.options(request))
            count = len(images)
            assert len(response.classifications) == count, (
                f"{len(response.classifications)} classifications for {count} images"
            )
            if "version" in expect:
                assert response.model.version == expect["version"], f"answered by {response.model}"
            if "logits" in expect:
                if expect["logits"] == "reference_logits":
                    references = self.expected.reference_logits[self.rows(request)]
                else:  # image_pixel_logits: what the server answers for each image's pixels
                    pixels = np.concatenate(
                        [_float32(image["pixels"]) for image in self.expected.images]
                    )
                    answer = client.classify(pixels, model=request["model"], include_logits=True)
                    references = np.asarray([list(c.logits) for c in answer.classifications])
                bar = self.bar(expect["max_relative_error"])
                for index, (classification, reference) in enumerate(
                    zip(response.classifications, references)
                ):
                    error = relative_error(classification.logits, reference)
                    assert error <= bar, f"image {index}: relative error {error} > {bar}"
                    if expect.get("same_top_class"):
                        assert np.argmax(classification.logits) == np.argmax(reference), (
                            f"image {index}: top class differs"
                        )
        for index, classification in enumerate(response.classifications):
            self.check_classification(index, classification, expect)

    def check_classification(self, index: int, classification: Any, expect: dict[str, Any]) -> None:
        classes = list(classification.classes)
        logits = np.asarray(classification.logits, dtype=np.float64)
        if "classes_per_image" in expect:
            assert len(classes) == expect["classes_per_image"], f"image {index}: {len(classes)} classes"
        if expect.get("best_first"):
            scores = [c.score for c in classes]
            assert scores == sorted(scores, reverse=True), f"image {index}: scores {scores}"
        if expect.get("labels_from") == "class_names":
            for c in classes:
                assert c.label == self.expected.class_names[c.index], f"image {index}: {c}"
        if expect.get("top_class_is_argmax"):
            assert classes[0].index == int(np.argmax(logits)), f"image {index}: top {classes[0]}"
        if "scores_are_softmax" in expect:
            softmax = np.exp(logits - logits.max())
            softmax /= softmax.sum()
            for c in classes:
                assert abs(c.score - softmax[c.index]) <= expect["scores_are_softmax"], (
                    f"image {index}: score {c.score} vs softmax {softmax[c.index]}"
                )
        if expect.get("logits_empty"):
            assert len(logits) == 0, f"image {index}: {len(logits)} logits without include_logits"

    def case_classify_each(self, case: dict[str, Any]) -> None:
        with self.make_client(self.server.target) as client:
            for request in case["requests"]:
                response = client.classify(self.images(request), **self.options(request))
                assert response.model.version == request["expect_version"], (
                    f"{request}: answered by version {response.model.version}"
                )

    def case_set_label(self, case: dict[str, Any]) -> None:
        request, expect = case["request"], case["expect"]
        with self.make_client(self.server.target) as client:
            client.set_label(request["model"], request["label"], request["version"])
            labels = dict(client.model_status(request["model"]).labels)
            assert labels == expect["labels"], f"labels {labels}"
            response = client.classify(
                self.expected.reference_pixels[0],
                model=request["model"],
                label=expect["classify_label"],
            )
        assert response.model.version == expect["classify_version"], f"{response.model}"

    def case_classify_error(self, case: dict[str, Any]) -> None:
        request, expect = case["request"], case["expect"]
        with self.make_client(self.server.target) as client:
            with pytest.raises(grpc.RpcError) as failure:
                client.classify(self.images(request), **self.options(request))
        error = failure.value
        assert error.code().name == expect["code"], f"{error.code()}: {error.details()}"
        if "message_contains" in expect:
            assert expect["message_contains"] in error.details(), error.details()

    def stream_requests(self, request: dict[str, Any], include_logits: bool) -> Any:
        pixels = self.expected.reference_pixels
        for i in range(request["count"]):
            yield swinserve.classify_request(
                pixels[i % len(pixels)],
                model=request["model"],
                include_logits=include_logits,
                request_id=f"r{i}",
            )

    def check_stream_answers(self, request: dict[str, Any], answers: list[Any]) -> None:
        ids = [answer.request_id for answer in answers]
        assert len(ids) == len(set(ids)), "a request_id was answered twice"
        sent = {f"r{i}" for i in range(request["count"])}
        assert set(ids) == sent, f"missing {sorted(sent - set(ids))[:10]}, extra {sorted(set(ids) - sent)[:10]}"

    def case_stream(self, case: dict[str, Any]) -> None:
        request, expect = case["request"], case["expect"]
        with_logits = "logits" in expect
        with self.make_client(self.server.target) as client:
            answers = list(
                client.classify_stream(
                    self.stream_requests(request, with_logits),
                    max_in_flight=request["max_in_flight"],
                    deadline=request.get("deadline_s", 120),
                )
            )
        assert len(answers) == expect["answers"], f"{len(answers)} answers"
        self.check_stream_answers(request, answers)
        if with_logits:
            bar = self.bar(expect["max_relative_error"])
            references = self.expected.reference_logits
            for answer in answers:
                assert not answer.HasField("error"), f"{answer.request_id}: {answer.error}"
                row = int(answer.request_id[1:]) % len(references)
                error = relative_error(answer.classifications[0].logits, references[row])
                assert error <= bar, f"{answer.request_id}: relative error {error}"

    def case_stream_restart(self, case: dict[str, Any]) -> None:
        request, expect, restart = case["request"], case["expect"], case["restart"]
        assert restart["signal"] == "KILL" and restart["same_port"]
        answers: list[Any] = []
        restarter: threading.Thread | None = None
        failures: list[BaseException] = []

        def restart_server() -> None:
            try:
                self.server.restart_same_port()
            except BaseException as error:  # reported by the test thread
                failures.append(error)

        with self.make_client(self.server.target, **client_settings(case["client"])) as client:
            for answer in client.classify_stream(
                self.stream_requests(request, False),
                max_in_flight=request["max_in_flight"],
                deadline=request.get("deadline_s"),
            ):
                answers.append(answer)
                if len(answers) == restart["after_answers"]:
                    restarter = threading.Thread(target=restart_server)
                    restarter.start()
        assert restarter is not None, f"the stream ended after {len(answers)} answers"
        restarter.join()
        assert not failures, f"restarting the server failed: {failures}"
        assert len(answers) == expect["answers"], f"{len(answers)} answers"
        self.check_stream_answers(request, answers)

    def case_failover(self, case: dict[str, Any]) -> None:
        request = case["request"]
        with socket.socket() as dead:
            dead.bind(("127.0.0.1", 0))
            dead_port = dead.getsockname()[1]
        target = (
            case["target"]
            .replace("DEAD_PORT", str(dead_port))
            .replace("LIVE_PORT", str(self.server.port))
        )
        with self.make_client(target) as client:
            for call in range(request["calls"]):
                response = client.classify(self.images(request), **self.options(request))
                assert len(response.classifications) == 1, f"call {call}: {response}"

    def case_probe(self, case: dict[str, Any]) -> None:
        expect = case["expect"]
        probe = ProbeServer(case["probe_answers"])
        try:
            with self.make_client(probe.target, **client_settings(case.get("client", {}))) as client:
                deadline_ms = case.get("call", {}).get("deadline_ms")
                code = "OK"
                try:
                    client.classify(
                        b"probe",
                        model="mini",
                        deadline=None if deadline_ms is None else deadline_ms / 1000,
                    )
                except grpc.RpcError as error:
                    code = error.code().name
        finally:
            probe.stop()
        assert code == expect["code"], f"ended {code}"
        assert probe.attempts == expect["attempts"], f"{probe.attempts} attempts"
        if "min_gap_ms" in expect:
            gap_ms = (probe.arrivals[1] - probe.arrivals[0]) * 1000
            assert gap_ms >= expect["min_gap_ms"], f"retried after {gap_ms:.0f} ms"
        if "server_deadline_ms" in expect:
            seen = probe.deadlines_s[0]
            assert seen is not None, "the call carried no deadline"
            bounds = expect["server_deadline_ms"]
            assert bounds["min"] <= seen * 1000 <= bounds["max"], f"deadline {seen * 1000:.0f} ms"

    def case_tls(self, case: dict[str, Any]) -> None:
        """A second server with the case's config (mutual TLS required): the case's client
        classifies as ``classify`` checks; with the CA but no certificate, and in plaintext, a
        one-attempt client fails with the expected codes. The server is always stopped."""
        expect = case["expect"]
        config = environment_file(case["server"]["config"])
        secure = ServerProcess(
            self.server.serve,
            self.server.repository,
            self.server.ready_within_s,
            ("--config", config),
        )
        try:
            secure.start()
            self.case_classify(case, secure)
            trusted = client_tls(case["client"]["tls"]).trusted_cas
            assert trusted is not None
            once = swinserve.RetryConfig(max_attempts=1)
            for tls, code in (
                (swinserve.ClientTls.trusting(trusted), expect["without_client_certificate"]),
                (None, expect["plaintext"]),
            ):
                with self.make_client(secure.target, retry=once, tls=tls) as client:
                    with pytest.raises(grpc.RpcError) as failure:
                        client.classify(
                            self.images(case["request"]), **self.options(case["request"])
                        )
                error = failure.value
                assert error.code().name == code, (
                    f"{'plaintext' if tls is None else 'without a client certificate'}: "
                    f"{error.code()}: {error.details()}"
                )
        except BaseException:
            print(f"TLS server log: {secure.log}")
            raise
        finally:
            secure.stop()

    def case_breaker(self, case: dict[str, Any]) -> None:
        probe = ProbeServer(case["probe_answers"])
        try:
            with self.make_client(probe.target, **client_settings(case["client"])) as client:
                for number, step in enumerate(case["steps"]):
                    if "sleep_ms" in step:
                        time.sleep(step["sleep_ms"] / 1000)
                        continue
                    last_message = ""
                    for call in range(step["calls"]):
                        code = "OK"
                        try:
                            client.classify(b"probe", model="mini")
                        except grpc.RpcError as error:
                            code = error.code().name
                            last_message = error.details() or ""
                        assert code == step["expect_code"], f"step {number} call {call}: {code}"
                    assert probe.attempts == step["expect_attempts"], (
                        f"step {number}: {probe.attempts} attempts"
                    )
                    if "expect_message_contains" in step:
                        assert step["expect_message_contains"] in last_message, last_message
                    state = client.breakers()[0].state.name
                    assert state == step["expect_state"], f"step {number}: breaker {state}"
        finally:
            probe.stop()
