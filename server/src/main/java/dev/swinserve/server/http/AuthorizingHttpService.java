package dev.swinserve.server.http;

import dev.swinserve.server.security.Authenticator;
import dev.swinserve.server.security.Role;
import io.grpc.Status;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP front door's routes under the same rules as gRPC ({@link Authenticator}): {@code
 * /v2/health/*} open to all, {@code POST .../infer} needs INFER, every other route READ. Refused:
 * 401 with {@code WWW-Authenticate: Bearer} (no or an unknown credential) or 403 (a principal
 * without the role), each with a JSON {@code error} that says which role was needed.
 */
public final class AuthorizingHttpService implements HttpService {

  private final HttpService routes;
  private final Authenticator authenticator;

  /** {@code routes} behind the {@link Authenticator}'s checks. */
  public AuthorizingHttpService(HttpService routes, Authenticator authenticator) {
    this.routes = routes;
    this.authenticator = authenticator;
  }

  @Override
  public void handle(FullHttpRequest request, HttpCall call) {
    String path = request.uri().split("\\?", 2)[0];
    Role needed =
        path.startsWith("/v2/health/")
            ? Role.NONE
            : request.method().equals(HttpMethod.POST) && path.endsWith("/infer")
                ? Role.INFER
                : Role.READ;
    Authenticator.Decision decision =
        authenticator.decide(
            needed,
            request.method() + " " + path,
            Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)),
            call.tlsSession().flatMap(Authenticator::clientCertificate));
    if (decision instanceof Authenticator.Decision.Refused refused) {
      if (refused.code() == Status.Code.UNAUTHENTICATED) {
        call.fail(
            HttpResponseStatus.UNAUTHORIZED,
            refused.message(),
            Map.of("WWW-Authenticate", "Bearer"));
      } else {
        call.fail(HttpResponseStatus.FORBIDDEN, refused.message(), Map.of());
      }
      return;
    }
    routes.handle(request, call);
  }
}
