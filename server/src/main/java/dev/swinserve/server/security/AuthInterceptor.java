package dev.swinserve.server.security;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TextFormat;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.server.security.Principals.Principal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Every gRPC call through the {@link Authenticator}: refused with UNAUTHENTICATED or
 * PERMISSION_DENIED before any service sees it, or let through with its principal in the {@link
 * Context} ({@link #PRINCIPAL}). Every call that needs ADMIN (and a metrics read that resets) is
 * written to the audit log when it ends: principal, method, request, answer and status.
 */
@Singleton
public final class AuthInterceptor implements ServerInterceptor {

  /** The principal of the call in progress; absent when auth is off. */
  public static final Context.Key<Principal> PRINCIPAL = Context.key("swinserve-principal");

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String GET_METRICS =
      MetricsServiceGrpc.getGetMetricsMethod().getFullMethodName();

  private final Authenticator authenticator;
  private final AuditLog audit;

  @Inject
  AuthInterceptor(Authenticator authenticator, AuditLog audit) {
    this.authenticator = authenticator;
    this.audit = audit;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Role needed = MethodRoles.of(method);
    Authenticator.Decision decision =
        authenticator.decide(
            needed,
            method,
            Optional.ofNullable(headers.get(AUTHORIZATION)),
            Authenticator.clientCertificate(
                call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
    if (decision instanceof Authenticator.Decision.Refused refused) {
      call.close(
          Status.fromCode(refused.code()).withDescription(refused.message()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Optional<Principal> principal = ((Authenticator.Decision.Allowed) decision).principal();
    Context context = Context.current();
    if (principal.isPresent()) {
      context = context.withValue(PRINCIPAL, principal.get());
    }
    boolean audited = needed == Role.ADMIN || method.equals(GET_METRICS);
    if (!audited) {
      return Contexts.interceptCall(context, call, headers, next);
    }
    Audited<ReqT, RespT> recorded = new Audited<>(call, method, principal);
    ServerCall.Listener<ReqT> listener = Contexts.interceptCall(context, recorded, headers, next);
    return new SimpleForwardingServerCallListener<>(listener) {
      /** Set once this interceptor closed the call itself: the service never sees it. */
      private boolean refused;

      @Override
      public void onMessage(ReqT message) {
        recorded.request = message;
        if (method.equals(GET_METRICS)) {
          if (!((GetMetricsRequest) message).getReset()) {
            recorded.quiet = true; // a plain read: not an admin act
          } else if (authenticator.enabled()
              && principal.map(p -> !p.may(Role.ADMIN)).orElse(true)) {
            recorded.close(
                Status.PERMISSION_DENIED.withDescription(
                    "principal '"
                        + principal.map(Principal::name).orElse("?")
                        + "' lacks role 'admin', which resetting the metrics needs"),
                new Metadata());
            refused = true;
            return;
          }
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  /** A call whose request, answer and status go to the audit log when it closes. */
  private final class Audited<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
    private final String method;
    private final Optional<Principal> principal;
    private volatile Object request;
    private volatile Object answer;
    private volatile boolean quiet;

    Audited(ServerCall<ReqT, RespT> call, String method, Optional<Principal> principal) {
      super(call);
      this.method = method;
      this.principal = principal;
    }

    @Override
    public void sendMessage(RespT message) {
      answer = method.equals(GET_METRICS) ? null : message;
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!quiet) {
        audit.record(
            principal.map(Principal::name).orElse(authenticator.enabled() ? "?" : "anonymous"),
            method,
            text(request),
            text(answer),
            status);
      }
      super.close(status, trailers);
    }
  }

  private static String text(Object message) {
    return message instanceof MessageOrBuilder proto ? TextFormat.shortDebugString(proto) : "";
  }
}
