package dev.swinserve.server.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import dev.swinserve.server.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends 10,000 requests on one stream and reads nothing: the server stops reading its
 * requests, keeps serving a well-behaved client next to it without error, and after the stall
 * timeout ends the stream and resets it, which reaches even a client that never opens its window.
 */
class SlowStreamReaderEndToEndTest {

  private static final long CANCEL = 0x8;
  private static final String STALL_WARNING =
      "closing a ClassifyStream whose client stopped reading";

  @TempDir Path work;

  @Test
  void aClientThatNeverReadsIsCutOffWhileOthersAreServed() throws Exception {
    byte[] image = Files.readAllBytes(Fixtures.image("green-palette.png"));
    try (ServerProcess server =
        ServerProcess.startServingMini(work, "streams: {stall_timeout_ms: 1500}\n")) {
      // A small window so the unread responses fill it quickly.
      ManagedChannel stalled =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port())
              .usePlaintext()
              .flowControlWindow(32 * 1024)
              .build();
      ManagedChannel polite = server.channel();
      StalledReader reader = new StalledReader();
      var requests = ClassifierGrpc.newStub(stalled).classifyStream(reader);
      for (int i = 0; i < 10_000; i++) {
        requests.onNext(
            Requests.to("mini")
                .setRequestId("s" + i)
                .setTopK(10)
                .setIncludeLogits(true)
                .addImages(Requests.encoded(image))
                .build());
      }

      AtomicInteger politeCalls = new AtomicInteger();
      AtomicInteger politeFailures = new AtomicInteger();
      // The well-behaved client calls until the server has cut the stalled stream off, and at least
      // once (sending the flood may take longer than the stall timeout on a busy machine).
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      var stub = ClassifierGrpc.newBlockingStub(polite);
      ClassifyRequest request = Requests.to("mini").addImages(Requests.encoded(image)).build();
      while (System.nanoTime() < until
          && (politeCalls.get() == 0 || !server.log().contains(STALL_WARNING))) {
        try {
          stub.withDeadlineAfter(10, TimeUnit.SECONDS).classify(request);
          politeCalls.incrementAndGet();
        } catch (RuntimeException e) {
          politeFailures.incrementAndGet();
        }
      }

      reader.startReading();
      Status status;
      try {
        status = reader.status.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(
            "no status after "
                + reader.responses.get()
                + " responses; server log:\n"
                + server.log(),
            e);
      }

      assertThat(server.log()).contains(STALL_WARNING);
      assertThat(politeFailures.get()).as("failed calls of the well-behaved client").isZero();
      assertThat(politeCalls.get()).isPositive();
      // The RESOURCE_EXHAUSTED status waits behind the unread responses; the reset does not.
      assertThat(status.getCode()).as("status %s", status).isEqualTo(Status.Code.CANCELLED);
      assertThat(status.getDescription()).contains("RST_STREAM");
      assertThat(reader.responses.get())
          .as("the server stopped reading long before 10,000")
          .isLessThan(5_000);
      stalled.shutdownNow();
      polite.shutdownNow();
    }
  }

  @Test
  void aClientThatNeverOpensItsWindowIsResetAfterTheStallTimeout() throws Exception {
    byte[] image = TestImages.png(4, 4);
    try (ServerProcess server =
            ServerProcess.startServingMini(work, "streams: {stall_timeout_ms: 1500}\n");
        NeverReadingHttp2Client client = new NeverReadingHttp2Client(server.port())) {
      // ~100 bytes each way in, ~200 out: enough responses to fill the server's 32 KB send buffer.
      List<ClassifyRequest> requests = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        requests.add(
            Requests.to("mini")
                .setRequestId("w" + i)
                .setTopK(10)
                .setIncludeLogits(true)
                .addImages(Requests.encoded(image))
                .build());
      }
      assertThat(requests.stream().mapToInt(request -> request.getSerializedSize() + 14).sum())
          .as("request bytes: within the default HTTP/2 windows")
          .isLessThan(60_000);
      client.send("127.0.0.1:" + server.port(), requests);

      // Without the reset the stream stays open until the client gives up: nothing arrives.
      NeverReadingHttp2Client.End end = client.awaitEnd(30_000);

      assertThat(end)
          .as("how the stream ended, 30 s after it stalled; server log:%n%s", server.log())
          .isEqualTo(new NeverReadingHttp2Client.End("RST_STREAM", CANCEL));
      assertThat(server.log()).contains(STALL_WARNING);
      // The server freed the stream and goes on serving.
      ManagedChannel channel = server.channel();
      ClassifyResponse response =
          ClassifierGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .classify(Requests.to("mini").addImages(Requests.encoded(image)).build());
      assertThat(response.getClassificationsCount()).isEqualTo(1);
      channel.shutdownNow();
    }
  }

  /** Asks for no responses until told to, then reads everything. */
  private static final class StalledReader
      implements ClientResponseObserver<ClassifyRequest, ClassifyResponse> {
    final CompletableFuture<Status> status = new CompletableFuture<>();
    final AtomicInteger responses = new AtomicInteger();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile ClientCallStreamObserver<ClassifyRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<ClassifyRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(0);
    }

    void startReading() {
      if (reading.compareAndSet(false, true)) {
        call.request(Integer.MAX_VALUE);
      }
    }

    @Override
    public void onNext(ClassifyResponse response) {
      responses.incrementAndGet();
    }

    @Override
    public void onError(Throwable error) {
      status.complete(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
      status.complete(Status.OK);
    }
  }
}
