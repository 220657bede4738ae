"""TLS and mutual TLS settings of a client (the Java client's ``ClientTls``).

    tls = swinserve.ClientTls.trusting("ca.crt").with_client_certificate("client.crt", "client.key")
    client = swinserve.Client("server.example:8500", tls=tls)

Without ``tls`` a client speaks plaintext. The server's certificate is checked against the host
name of each endpoint's target (``server.example`` above; ``127.0.0.1`` for an address), which is
also the TLS server name (SNI) the client sends.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import grpc

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class ClientTls:
    """How a client speaks TLS to its servers: which CAs it trusts for the server's certificate
    and, for mutual TLS, its own certificate chain and key. Every value is a path to a PEM file;
    the files are read when a client is made from these settings.

    Attributes:
        trusted_cas: CAs the server's certificate must chain to; None: the system's roots,
            as :func:`system_roots` finds them.
        cert_chain: the client's certificate chain, for mutual TLS; only with ``private_key``.
        private_key: the client's private key (PKCS#8 or the key type's own PEM); only with
            ``cert_chain``.

    Raises:
        ValueError: one of ``cert_chain`` and ``private_key`` without the other.
    """

    trusted_cas: PathLike | None = None
    cert_chain: PathLike | None = None
    private_key: PathLike | None = None

    def __post_init__(self) -> None:
        if (self.cert_chain is None) != (self.private_key is None):
            given, missing = (
                ("cert_chain", "private_key")
                if self.private_key is None
                else ("private_key", "cert_chain")
            )
            raise ValueError(
                f"a client certificate needs both cert_chain and private_key; got {given} "
                f"without {missing}"
            )

    @classmethod
    def trusting(cls, trusted_cas: PathLike) -> ClientTls:
        """TLS trusting the CAs in ``trusted_cas`` (a PEM file), without a client certificate."""
        return cls(trusted_cas=trusted_cas)

    def with_client_certificate(self, cert_chain: PathLike, private_key: PathLike) -> ClientTls:
        """These settings, presenting ``cert_chain`` with ``private_key`` (mutual TLS)."""
        return ClientTls(self.trusted_cas, cert_chain, private_key)

    def credentials(self) -> grpc.ChannelCredentials:
        """The channel credentials, the files read now.

        Raises:
            OSError: a file cannot be read; the message names the setting and the path.
            ValueError: a file holds no PEM block.
        """
        roots = (
            system_roots() if self.trusted_cas is None else _read(self.trusted_cas, "trusted_cas")
        )
        return grpc.ssl_channel_credentials(
            root_certificates=roots,
            private_key=_read(self.private_key, "private_key"),
            certificate_chain=_read(self.cert_chain, "cert_chain"),
        )


def system_roots() -> bytes | None:
    """The system's trusted CAs: the CA file Python's ``ssl`` module trusts by default
    (``SSL_CERT_FILE`` when set, else OpenSSL's, e.g. ``/etc/ssl/certs/ca-certificates.crt``).
    None, leaving the choice to gRPC (its bundled roots), when ``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH``
    is set or no such file holds a PEM block."""
    if os.environ.get("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"):
        return None
    cafile = ssl.get_default_verify_paths().cafile
    if not cafile:
        return None
    try:
        content = Path(cafile).read_bytes()
    except OSError:
        return None
    return content if b"-----BEGIN " in content else None


def _read(path: PathLike | None, setting: str) -> bytes | None:
    if path is None:
        return None
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        raise type(error)(
            error.errno, f"cannot read the client's TLS {setting}: {error.strerror}", str(path)
        ) from error
    if b"-----BEGIN " not in content:
        raise ValueError(f"the client's TLS {setting} '{path}' holds no PEM block")
    return content
