package dev.swinserve.server.security;

import dev.swinserve.server.http.HttpCall;
import dev.swinserve.server.http.HttpService;
import dev.swinserve.server.kserve.KserveHttpService;
import io.grpc.Status;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP front door under the same rules as gRPC ({@link Authenticator}): {@code /v2/health/*}
 * open to all, {@code POST .../infer} needs INFER, every other route READ. Refused: 401 with {@code
 * WWW-Authenticate: Bearer} (no or an unknown credential) or 403 (a principal without the role),
 * each with a JSON {@code error} that says which role was needed.
 */
@Singleton
public final class AuthorizingHttpService implements HttpService {

  private final KserveHttpService routes;
  private final Authenticator authenticator;

  @Inject
  AuthorizingHttpService(KserveHttpService routes, Authenticator authenticator) {
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
            call.peerCertificate());
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
