package dev.swinserve.client;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client speaks TLS to its servers: which CAs it trusts for the server's certificate (the
 * system's when none is named) and, for mutual TLS, its own certificate chain and key. The server's
 * certificate is checked against the target's host name: for a DNS name that the client dials per
 * address, still the name, never the address.
 *
 * @param trustedCas PEM CAs the server's certificate must chain to; empty: the JDK's default CAs
 * @param certChain the client's certificate chain, PEM, for mutual TLS; with {@code privateKey}
 * @param privateKey the client's private key, PEM (PKCS#8); with {@code certChain}
 */
public record ClientTls(
    Optional<Path> trustedCas, Optional<Path> certChain, Optional<Path> privateKey) {

  public ClientTls {
    Objects.requireNonNull(trustedCas, "trustedCas");
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    if (certChain.isPresent() != privateKey.isPresent()) {
      throw new IllegalArgumentException(
          "a client certificate needs both certChain and privateKey, got only "
              + (certChain.isPresent() ? "certChain" : "privateKey"));
    }
  }

  /** TLS trusting {@code trustedCas} (a PEM file), without a client certificate. */
  public static ClientTls trusting(Path trustedCas) {
    return new ClientTls(Optional.of(trustedCas), Optional.empty(), Optional.empty());
  }

  /** This, presenting the client certificate {@code certChain} with {@code privateKey}. */
  public ClientTls withClientCertificate(Path certChain, Path privateKey) {
    return new ClientTls(trustedCas, Optional.of(certChain), Optional.of(privateKey));
  }

  /** The channel credentials: plaintext when {@code tls} is empty. */
  static ChannelCredentials credentials(Optional<ClientTls> tls) {
    if (tls.isEmpty()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
    try {
      if (tls.get().trustedCas().isPresent()) {
        credentials.trustManager(tls.get().trustedCas().get().toFile());
      }
      if (tls.get().certChain().isPresent()) {
        credentials.keyManager(
            tls.get().certChain().get().toFile(), tls.get().privateKey().get().toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the client's TLS files: " + e.getMessage(), e);
    }
    return credentials.build();
  }
}
