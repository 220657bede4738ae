package dev.swinserve.server.http;

import io.grpc.Status;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The HTTP status of a call's gRPC status code, as Triton's and KServe's HTTP servers answer: the
 * one place a failure's code becomes an HTTP status, so every route answers alike.
 */
public final class HttpStatusMapping {

  private HttpStatusMapping() {}

  public static HttpResponseStatus of(Status.Code code) {
    return switch (code) {
      case OK -> HttpResponseStatus.OK;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpResponseStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
      case ALREADY_EXISTS, ABORTED -> HttpResponseStatus.CONFLICT;
      case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
      case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
      case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
      case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
      case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
      // CANCELLED: the client went away and reads nothing; UNKNOWN, INTERNAL, DATA_LOSS: ours.
      case CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
    };
  }
}
