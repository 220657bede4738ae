"""ClientTls: its validation, and TLS against in-process servers on loopback whose certificates
are made here (a CA, a server certificate for the name ``localhost`` only, a client
certificate): mutual TLS on every endpoint of a static list, the certificate checked against the
target's host name, and the refusals (no client certificate, plaintext, an untrusted server)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

import swinserve
from swinserve import ClientConfig, ClientTls, RetryConfig
from swinserve.tls import system_roots
from swinserve.aio import AsyncClient

SERVING = health_pb2.HealthCheckResponse.SERVING
ONCE = RetryConfig(max_attempts=1)


# --- validation ---------------------------------------------------------------------------------


def test_plaintext_is_the_default() -> None:
    assert ClientConfig().tls is None


def test_trusting_and_with_client_certificate() -> None:
    tls = ClientTls.trusting("ca.pem")
    assert tls == ClientTls(trusted_cas="ca.pem")
    mutual = tls.with_client_certificate("chain.pem", "key.pem")
    assert mutual == ClientTls("ca.pem", "chain.pem", "key.pem")
    assert ClientTls().with_client_certificate("c", "k") == ClientTls(None, "c", "k")


def test_half_a_client_certificate_is_refused_naming_the_missing_half() -> None:
    with pytest.raises(ValueError, match="got cert_chain without private_key"):
        ClientTls(cert_chain="chain.pem")
    with pytest.raises(ValueError, match="got private_key without cert_chain"):
        ClientTls(trusted_cas="ca.pem", private_key="key.pem")


def test_settings_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ClientTls().trusted_cas = "ca.pem"  # type: ignore[misc]


@pytest.mark.parametrize("setting", ["trusted_cas", "cert_chain", "private_key"])
def test_an_unreadable_file_fails_the_client_at_once(tmp_path: Path, setting: str) -> None:
    pem = tmp_path / "some.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    files: dict[str, Any] = {"trusted_cas": pem, "cert_chain": pem, "private_key": pem}
    files[setting] = tmp_path / "missing.pem"
    with pytest.raises(FileNotFoundError, match=f"TLS {setting}") as failure:
        swinserve.Client("localhost:1", tls=ClientTls(**files))
    assert failure.value.filename == str(tmp_path / "missing.pem")


def test_a_file_without_pem_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="trusted_cas .* holds no PEM block"):
        swinserve.Client("localhost:1", tls=ClientTls.trusting(empty))


# --- certificates made here and servers on loopback -----------------------------------------------


@dataclasses.dataclass
class Pki:
    ca: Path
    server_chain: bytes
    server_key: bytes
    client_chain: Path
    client_key: Path
    other_ca: Path  # a CA that signed nothing here


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pkcs8(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey,
    dns_name: str | None = None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name if issuer is None else issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if dns_name is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca_key, other_key, server_key, client_key = _key(), _key(), _key(), _key()
    ca = _certificate("test CA", ca_key, None, ca_key)
    other = _certificate("other CA", other_key, None, other_key)
    server = _certificate("server", server_key, ca, ca_key, dns_name="localhost")
    client = _certificate("client", client_key, ca, ca_key)
    files = {
        "ca.crt": _pem(ca),
        "other-ca.crt": _pem(other),
        "client.crt": _pem(client),
        "client.key": _pkcs8(client_key),
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return Pki(
        folder / "ca.crt",
        _pem(server),
        _pkcs8(server_key),
        folder / "client.crt",
        folder / "client.key",
        folder / "other-ca.crt",
    )


class CountingHealth(health.HealthServicer):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.checks = 0

    def Check(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.checks += 1
        return super().Check(request, context)


class MutualTlsServer:
    """A health server on ``localhost`` that requires a client certificate from ``pki.ca``."""

    def __init__(self, pki: Pki) -> None:
        self.health = CountingHealth()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self._server)
        credentials = grpc.ssl_server_credentials(
            [(pki.server_key, pki.server_chain)],
            root_certificates=pki.ca.read_bytes(),
            require_client_auth=True,
        )
        self.port = self._server.add_secure_port("127.0.0.1:0", credentials)
        self._server.start()

    def stop(self) -> None:
        self._server.stop(None)


@pytest.fixture
def servers(pki: Pki) -> Iterator[list[MutualTlsServer]]:
    started = [MutualTlsServer(pki), MutualTlsServer(pki)]
    try:
        yield started
    finally:
        for server in started:
            server.stop()


def mutual(pki: Pki) -> ClientTls:
    return ClientTls.trusting(pki.ca).with_client_certificate(pki.client_chain, pki.client_key)


def localhost_list(servers: list[MutualTlsServer]) -> str:
    # "localhost" resolves to 127.0.0.1 here (and maybe ::1, tried first and refused); the
    # certificate names only localhost, so an endpoint verified against its address would fail.
    return ",".join(f"localhost:{server.port}" for server in servers)


def code_of_call(target: str, tls: ClientTls | None) -> str:
    with swinserve.Client(target, tls=tls, retry=ONCE, default_deadline=5) as client:
        try:
            client.health()
        except grpc.RpcError as error:
            return str(error.code().name)
    return "OK"


def test_mutual_tls_on_every_endpoint_of_a_static_list(
    pki: Pki, servers: list[MutualTlsServer]
) -> None:
    with swinserve.Client(localhost_list(servers), tls=mutual(pki), retry=ONCE) as client:
        assert [client.health() for _ in range(4)] == [SERVING] * 4
    assert [server.health.checks for server in servers] == [2, 2]


def test_mutual_tls_with_the_asyncio_client(pki: Pki, servers: list[MutualTlsServer]) -> None:
    async def checks() -> list[int]:
        async with AsyncClient(localhost_list(servers), tls=mutual(pki), retry=ONCE) as client:
            return [await client.health() for _ in range(4)]

    assert asyncio.run(checks()) == [SERVING] * 4
    assert [server.health.checks for server in servers] == [2, 2]


def test_the_certificate_is_checked_against_the_targets_host_name(
    pki: Pki, servers: list[MutualTlsServer]
) -> None:
    port = servers[0].port
    assert code_of_call(f"localhost:{port}", mutual(pki)) == "OK"
    assert code_of_call(f"127.0.0.1:{port}", mutual(pki)) == "UNAVAILABLE"  # not in its SAN


def test_refusals_are_unavailable(pki: Pki, servers: list[MutualTlsServer]) -> None:
    target = f"localhost:{servers[0].port}"
    assert code_of_call(target, ClientTls.trusting(pki.ca)) == "UNAVAILABLE"
    assert code_of_call(target, None) == "UNAVAILABLE"
    untrusting = ClientTls.trusting(pki.other_ca).with_client_certificate(
        pki.client_chain, pki.client_key
    )
    assert code_of_call(target, untrusting) == "UNAVAILABLE"
    assert servers[0].health.checks == 0


def test_without_trusted_cas_the_systems_roots_are_trusted(
    pki: Pki, servers: list[MutualTlsServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", raising=False)
    target = f"localhost:{servers[0].port}"
    system = ClientTls().with_client_certificate(pki.client_chain, pki.client_key)
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca))  # the system's CA file, as ssl finds it
    assert system_roots() == pki.ca.read_bytes()
    assert code_of_call(target, system) == "OK"
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.other_ca))
    assert code_of_call(target, system) == "UNAVAILABLE"


def test_grpcs_own_roots_file_setting_is_left_to_grpc(
    pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca))
    monkeypatch.setenv("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", str(pki.other_ca))
    assert system_roots() is None
