package dev.swinserve.server.config;

import dev.swinserve.config.ConfigValueException;
import dev.swinserve.config.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on every port the server listens on (gRPC and, when on, HTTP): its certificate chain and key,
 * the CAs it trusts for client certificates, whether it asks for them, and how often the files are
 * read again (a rotated certificate is served without a restart; a new file that does not parse
 * keeps the old credentials, with a logged reason). Immutable.
 *
 * @param certChain the server's certificate chain, PEM, leaf first
 * @param privateKey its private key, PEM (PKCS#8)
 * @param trustedCas the CAs that client certificates must chain to, PEM; needed unless {@code
 *     clientAuth} is NONE
 * @param clientAuth whether a client certificate is not asked for, optional, or required (mutual
 *     TLS)
 * @param reloadInterval how often the files are checked for changes; zero: never
 */
public record TlsConfig(
    Path certChain,
    Path privateKey,
    Optional<Path> trustedCas,
    ClientAuth clientAuth,
    Duration reloadInterval) {

  /** Whether, and how firmly, the server asks a client for its certificate. */
  public enum ClientAuth {
    /** Not asked for: any client may connect (server-authenticated TLS). */
    NONE,
    /** Asked for and checked when sent; a client without one may still connect. */
    OPTIONAL,
    /** Mutual TLS: a client without a certificate the trusted CAs signed is refused. */
    REQUIRE
  }

  public static final Range RELOAD_INTERVAL = new Range("tls.reload_interval_ms", 0, 86_400_000);

  public TlsConfig {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustedCas, "trustedCas");
    Objects.requireNonNull(clientAuth, "clientAuth");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (clientAuth != ClientAuth.NONE && trustedCas.isEmpty()) {
      throw new ConfigValueException(
          "tls.trusted_cas",
          "is needed with client_auth "
              + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
              + ": the CAs client certificates must chain to");
    }
  }
}
