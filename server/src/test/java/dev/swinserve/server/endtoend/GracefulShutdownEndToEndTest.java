package dev.swinserve.server.endtoend;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while a stream has requests in flight: every request the server read is answered, exit 0. */
class GracefulShutdownEndToEndTest {

  private static final int REQUESTS = 16;
  private static final int IMAGES_PER_REQUEST = 2;

  @TempDir Path work;

  @Test
  void sigtermDuringAStreamLosesNoAcceptedRequest() throws Exception {
    Path repository = work.resolve("models");
    FixtureRepository.add(repository, "mini", 1, MINI);
    ServerProcess server = ServerProcess.start(repository, work, "streams: {max_in_flight: 16}\n");
    ManagedChannel channel = server.channel();
    List<ClassifyResponse> responses = new CopyOnWriteArrayList<>();
    CountDownLatch firstResponse = new CountDownLatch(1);
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<ClassifyRequest> requests = ClassifierGrpc.newStub(channel).classifyStream(new StreamObserver<>() {
      @Override
      public void onNext(ClassifyResponse response) {
        responses.add(response);
        firstResponse.countDown();
      }

      @Override
      public void onError(Throwable error) {
        end.complete(Status.fromThrowable(error));
      }

      @Override
      public void onCompleted() {
        end.complete(Status.OK);
      }
    });
    // A large, flat PNG: a few kilobytes to send, tens of milliseconds to decode and resize. The
    // whole stream fits in one HTTP/2 flow-control window (1 MiB) and within the server's max in
    // flight, so the server reads every request at once, long before it can answer the last.
    Image image = Requests.encoded(flatPng(2048));
    assertThat(REQUESTS * IMAGES_PER_REQUEST * image.getEncoded().size()).isLessThan(768 * 1024);
    for (int i = 0; i < REQUESTS; i++) {
      ClassifyRequest.Builder request = Requests.to("mini").setRequestId("q" + i);
      for (int j = 0; j < IMAGES_PER_REQUEST; j++) {
        request.addImages(image);
      }
      requests.onNext(request.build());
    }
    requests.onCompleted();
    assertThat(firstResponse.await(60, TimeUnit.SECONDS)).isTrue();

    int answeredBeforeSigterm = responses.size();
    int exitCode = server.terminate();
    Status status = end.get(30, TimeUnit.SECONDS);

    assertThat(answeredBeforeSigterm).as("requests answered when SIGTERM was sent").isLessThan(REQUESTS / 2);
    assertThat(exitCode).as("exit code after SIGTERM").isZero();
    assertThat(responses).as("responses (stream ended with %s)", status).hasSize(REQUESTS);
    assertThat(responses).extracting(ClassifyResponse::getRequestId).doesNotHaveDuplicates();
    assertThat(responses).allSatisfy(response -> {
      assertThat(response.hasError()).as(response.getRequestId()).isFalse();
      assertThat(response.getClassificationsCount()).isEqualTo(IMAGES_PER_REQUEST);
    });
    assertThat(server.log()).contains("shutting down").contains("stopped");
    channel.shutdownNow();
  }

  private static byte[] flatPng(int side) throws IOException {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(new Color(120, 90, 200));
    graphics.fillRect(0, 0, side, side);
    graphics.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }
}
