package dev.swinserve.server.security;

import dev.swinserve.server.config.AuthConfig;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.security.Principals.Principal;
import io.grpc.Status;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Decides whether a call may go ahead, for every front door (gRPC through {@link AuthInterceptor},
 * HTTP through {@link AuthorizingHttpService}): who the caller is, from a bearer token or else a
 * client certificate, and whether one of its roles grants the role the call needs. Without {@code
 * auth:} every call goes ahead. The principals file is read at start (a bad one stops the start,
 * naming the file and the entry) and again when it changes; a new file that does not parse is
 * logged and the principals in use stay.
 */
@Singleton
public final class Authenticator implements Managed {

  private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());
  private static final String BEARER = "bearer ";

  /** What was decided: go ahead (as a known principal, or anyone when auth is off), or refuse. */
  public sealed interface Decision {
    /** The call goes ahead; {@code principal} is empty when auth is off or none was needed. */
    record Allowed(Optional<Principal> principal) implements Decision {}

    /** The call is refused with {@code code} (UNAUTHENTICATED, PERMISSION_DENIED) and why. */
    record Refused(Status.Code code, String message) implements Decision {}
  }

  private final Optional<AuthConfig> auth;
  private final ServerThreads threads;
  private volatile Principals principals;
  private long lastModified;
  private ScheduledFuture<?> reloading;

  @Inject
  Authenticator(ServerConfig config, ServerThreads threads) throws IOException {
    this.auth = config.auth();
    this.threads = threads;
    if (auth.isPresent()) {
      lastModified = auth.get().principalsFile().toFile().lastModified();
      principals = Principals.read(auth.get().principalsFile());
    } else {
      principals = Principals.none();
    }
  }

  /** Whether calls are checked at all. */
  public boolean enabled() {
    return auth.isPresent();
  }

  /**
   * Whether {@code what} (a method or route, for messages), which needs {@code needed}, may go
   * ahead for a caller that sent {@code authorization} (the header, if any) over a connection whose
   * client presented {@code certificate} (if any). A token is never repeated in a message.
   */
  public Decision decide(
      Role needed,
      String what,
      Optional<String> authorization,
      Optional<X509Certificate> certificate) {
    if (auth.isEmpty() || needed == Role.NONE) {
      return new Decision.Allowed(Optional.empty());
    }
    Optional<Principal> principal;
    if (authorization.isPresent()) {
      String header = authorization.get();
      if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
        return new Decision.Refused(
            Status.Code.UNAUTHENTICATED, "the authorization header must be 'Bearer <token>'");
      }
      principal = principals.byToken(header.substring(BEARER.length()).strip());
      if (principal.isEmpty()) {
        return new Decision.Refused(
            Status.Code.UNAUTHENTICATED, "the bearer token is not one this server knows");
      }
    } else {
      principal = certificate.flatMap(c -> principals.bySubject(c.getSubjectX500Principal()));
      if (principal.isEmpty()) {
        return new Decision.Refused(
            Status.Code.UNAUTHENTICATED,
            what
                + " needs role '"
                + needed.label()
                + "': send 'authorization: Bearer <token>'"
                + (certificate.isPresent()
                    ? " (the client certificate "
                        + certificate.get().getSubjectX500Principal().getName()
                        + " is no principal's)"
                    : " or a client certificate the server knows"));
      }
    }
    if (!principal.get().may(needed)) {
      return new Decision.Refused(
          Status.Code.PERMISSION_DENIED,
          "principal '"
              + principal.get().name()
              + "' lacks role '"
              + needed.label()
              + "', which "
              + what
              + " needs");
    }
    return new Decision.Allowed(principal);
  }

  /** The client certificate of a TLS session, if its client presented one. */
  public static Optional<X509Certificate> clientCertificate(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate first
          ? Optional.of(first)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  @Override
  public void start() {
    if (auth.isEmpty() || auth.get().reloadInterval().isZero()) {
      return;
    }
    long period = auth.get().reloadInterval().toMillis();
    reloading =
        threads
            .timer("auth-reload")
            .scheduleWithFixedDelay(this::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (reloading != null) {
      reloading.cancel(false);
    }
  }

  private void reloadIfChanged() {
    long modified = auth.get().principalsFile().toFile().lastModified();
    if (modified == lastModified) {
      return;
    }
    lastModified = modified;
    try {
      principals = Principals.read(auth.get().principalsFile());
      LOG.log(
          System.Logger.Level.INFO, "principals read again from {0}", auth.get().principalsFile());
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "keeping the principals in use: " + e.getMessage() + " (tried again on a change)");
    }
  }
}
