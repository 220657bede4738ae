package dev.swinserve.server.testing;

import io.grpc.Channel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a server's reflection service which services it offers, as grpcurl does. */
public final class ReflectionListing {

  private ReflectionListing() {}

  /**
   * The services {@code channel}'s server lists; an AssertionError caused by the call's status when
   * reflection fails (UNIMPLEMENTED when it is switched off).
   */
  public static List<String> services(Channel channel) {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    names.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(service -> service.getName())
                            .toList());
                  }

                  @Override
                  public void onError(Throwable error) {
                    names.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    try {
      return names.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("reflection failed", e);
    }
  }
}
