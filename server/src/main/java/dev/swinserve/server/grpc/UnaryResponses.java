package dev.swinserve.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Answers a unary call that needs no classification: the response, or its error mapped once. */
public final class UnaryResponses {

  private UnaryResponses() {}

  /**
   * Sends what {@code call} returns and completes; a {@link RuntimeException} it throws ends the
   * call with the status {@link StatusMapper} gives it.
   */
  public static <T> void respond(StreamObserver<T> responses, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toException(e));
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
