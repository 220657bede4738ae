package dev.swinserve.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swinserve.api.RetryPushback;
import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.ResolvedModel;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The conformance suite's probe server (clients/conformance/README.md): {@code Classifier/Classify}
 * on 127.0.0.1, answering each attempt with the next scripted answer (OK once the script is done)
 * and recording when each attempt arrived and the deadline it carried. A collaborator that
 * misbehaves on cue, for the client under test.
 */
final class ProbeServer implements AutoCloseable {

  /** One attempt as the probe saw it: arrival (System.nanoTime) and remaining deadline, if any. */
  record Attempt(long arrivedNanos, OptionalLong deadlineMillis) {}

  private final Queue<JsonNode> answers;
  private final List<Attempt> attempts = new ArrayList<>();
  private final Server server;

  ProbeServer(JsonNode script) throws IOException {
    this.answers = new ArrayDeque<>();
    script.forEach(answers::add);
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Classifier())
            .build()
            .start();
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  synchronized List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private synchronized JsonNode next() {
    Deadline deadline = Context.current().getDeadline();
    attempts.add(
        new Attempt(
            System.nanoTime(),
            deadline == null
                ? OptionalLong.empty()
                : OptionalLong.of(deadline.timeRemaining(TimeUnit.MILLISECONDS))));
    return answers.poll();
  }

  private final class Classifier extends ClassifierGrpc.ClassifierImplBase {
    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> observer) {
      JsonNode answer = next();
      String code = answer == null ? "OK" : answer.path("code").asText();
      if (!code.equals("OK")) {
        Metadata trailers = new Metadata();
        if (answer.has("pushback_ms")) {
          trailers = RetryPushback.trailers(Duration.ofMillis(answer.get("pushback_ms").asLong()));
        }
        observer.onError(
            Status.Code.valueOf(code)
                .toStatus()
                .withDescription(answer.path("message").asText())
                .asRuntimeException(trailers));
        return;
      }
      ClassifyResponse.Builder response =
          ClassifyResponse.newBuilder()
              .setRequestId(request.getRequestId())
              .setModel(
                  ResolvedModel.newBuilder().setName(request.getModel().getName()).setVersion(1));
      for (int i = 0; i < request.getImagesCount(); i++) {
        response.addClassifications(
            Classification.newBuilder()
                .addClasses(ClassScore.newBuilder().setIndex(0).setLabel("probe").setScore(1)));
      }
      observer.onNext(response.build());
      observer.onCompleted();
    }
  }
}
