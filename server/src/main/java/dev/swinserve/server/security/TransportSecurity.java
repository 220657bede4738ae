package dev.swinserve.server.security;

import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.config.TlsConfig;
import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.lifecycle.ServerThreads;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The credentials every listening port serves with: plaintext, or TLS from {@code tls:} (see {@link
 * TlsConfig}). The certificate chain, key and trusted CAs are read at start (a file that is missing
 * or does not parse stops the start, naming it) and checked every {@code reload_interval_ms}: when
 * one changed, all are read again and, if they parse and the key is the certificate's, served to
 * new connections from then on (connections already open keep theirs). Files that do not parse, or
 * a key that is not the certificate's (a rotation caught between its two files), leave the
 * credentials in use as they are, with a logged reason, and are tried again once they change. The
 * files are read by this class rather than by grpc-java's own file watcher, which checks at most
 * once a minute and only when both the key and the chain changed.
 */
@Singleton
public final class TransportSecurity implements Managed {

  private static final System.Logger LOG = System.getLogger(TransportSecurity.class.getName());

  private final Optional<TlsConfig> tls;
  private final ServerThreads threads;
  private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
  private final AdvancedTlsX509TrustManager trust;
  private ScheduledFuture<?> reloading;

  /** The files' modification times when they were last read, whether that worked or not. */
  private List<Long> lastRead = List.of();

  @Inject
  TransportSecurity(ServerConfig config, ServerThreads threads) throws IOException {
    this.tls = config.tls();
    this.threads = threads;
    try {
      this.trust =
          tls.isPresent() && tls.get().trustedCas().isPresent()
              ? AdvancedTlsX509TrustManager.newBuilder()
                  .setVerification(
                      AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                  .build()
              : null;
    } catch (CertificateException e) {
      throw new IOException("cannot make the TLS trust manager: " + e.getMessage(), e);
    }
    if (tls.isPresent()) {
      lastRead = modified(tls.get());
      load(tls.get());
    }
  }

  /** Whether the ports speak TLS. */
  public boolean enabled() {
    return tls.isPresent();
  }

  /** The gRPC port's credentials. */
  public ServerCredentials grpc() {
    if (tls.isEmpty()) {
      return InsecureServerCredentials.create();
    }
    TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder().keyManager(keys);
    if (trust != null) {
      credentials.trustManager(trust);
    }
    credentials.clientAuth(
        switch (tls.get().clientAuth()) {
          case NONE -> TlsServerCredentials.ClientAuth.NONE;
          case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
          case REQUIRE -> TlsServerCredentials.ClientAuth.REQUIRE;
        });
    return credentials.build();
  }

  /** The HTTP port's TLS context, over the same key and trust managers; empty: plaintext. */
  public Optional<SslContext> http() throws SSLException {
    if (tls.isEmpty()) {
      return Optional.empty();
    }
    SslContextBuilder context = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK);
    if (trust != null) {
      context.trustManager(trust);
    }
    context.clientAuth(
        switch (tls.get().clientAuth()) {
          case NONE -> ClientAuth.NONE;
          case OPTIONAL -> ClientAuth.OPTIONAL;
          case REQUIRE -> ClientAuth.REQUIRE;
        });
    return Optional.of(context.build());
  }

  /** Starts checking the files every {@code reload_interval_ms}, when TLS is on. */
  @Override
  public void start() {
    if (tls.isEmpty()) {
      return;
    }
    TlsConfig settings = tls.get();
    long period = settings.reloadInterval().toMillis();
    if (period > 0) {
      reloading =
          threads
              .timer("tls-reload")
              .scheduleWithFixedDelay(
                  () -> reloadIfChanged(settings), period, period, TimeUnit.MILLISECONDS);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "TLS on every port (client certificates: {0}); {1}",
        settings.clientAuth().name().toLowerCase(Locale.ROOT),
        period > 0
            ? "the certificate, key and CAs are read again within " + period + " ms of a change"
            : "the files are not read again");
  }

  @Override
  public void close() {
    if (reloading != null) {
      reloading.cancel(false);
    }
  }

  private void reloadIfChanged(TlsConfig settings) {
    List<Long> now = modified(settings);
    if (now.equals(lastRead)) {
      return;
    }
    lastRead = now;
    try {
      load(settings);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "keeping the TLS credentials in use: " + e.getMessage() + " (tried again on a change)");
    }
  }

  /** Reads every file and, if all is well, serves them from now on. */
  private void load(TlsConfig settings) throws IOException {
    X509Certificate[] chain = certificates(settings.certChain(), "tls.cert_chain");
    PrivateKey key;
    try (InputStream input = Files.newInputStream(settings.privateKey())) {
      key = CertificateUtils.getPrivateKey(input);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IOException(
          "tls.private_key " + settings.privateKey() + " is not a PEM private key: " + e, e);
    }
    if (!belongTogether(key, chain[0])) {
      throw new IOException(
          "tls.private_key "
              + settings.privateKey()
              + " is not the key of the certificate in tls.cert_chain "
              + settings.certChain());
    }
    X509Certificate[] cas =
        settings.trustedCas().isPresent()
            ? certificates(settings.trustedCas().get(), "tls.trusted_cas")
            : null;
    keys.updateIdentityCredentials(chain, key);
    if (trust != null) {
      try {
        trust.updateTrustCredentials(cas);
      } catch (GeneralSecurityException e) {
        throw new IOException("tls.trusted_cas " + settings.trustedCas().get() + ": " + e, e);
      }
    }
    java.time.Instant now = java.time.Instant.now();
    if (chain[0].getNotAfter().toInstant().isBefore(now)
        || chain[0].getNotBefore().toInstant().isAfter(now)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the TLS certificate in {0} is not valid now (valid from {1} until {2}): clients will"
              + " refuse it",
          settings.certChain(),
          chain[0].getNotBefore().toInstant(),
          chain[0].getNotAfter().toInstant());
    }
    LOG.log(
        System.Logger.Level.INFO,
        "TLS certificate {0} (serial {1}, valid until {2})",
        chain[0].getSubjectX500Principal().getName(),
        chain[0].getSerialNumber().toString(16),
        chain[0].getNotAfter().toInstant());
  }

  private static X509Certificate[] certificates(Path file, String key) throws IOException {
    try (InputStream input = Files.newInputStream(file)) {
      X509Certificate[] certificates = CertificateUtils.getX509Certificates(input);
      if (certificates.length == 0) {
        throw new IOException(key + " " + file + " holds no PEM certificate");
      }
      return certificates;
    } catch (CertificateException | RuntimeException e) {
      throw new IOException(key + " " + file + " is not a PEM certificate: " + e, e);
    }
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return true; // an algorithm this check does not know: left to the handshake
    }
    try {
      byte[] probe = "swinserve key check".getBytes(StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<Long> modified(TlsConfig settings) {
    List<Long> times = new ArrayList<>();
    times.add(settings.certChain().toFile().lastModified());
    times.add(settings.privateKey().toFile().lastModified());
    settings.trustedCas().ifPresent(file -> times.add(file.toFile().lastModified()));
    return List.copyOf(times);
  }
}
