package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.server.GrpcModule;
import dev.swinserve.server.NettyTransportModule;
import dev.swinserve.server.ServerModule;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream ended at the end of the grace period lists only the requests it really left unanswered.
 */
class StreamAbortTest {

  @TempDir Path repository;

  @Test
  void aRequestAnsweredWithAnErrorUnderACutShortIdIsNotListedAsUnanswered() throws Exception {
    FixtureRepository.add(repository, "mini", 1, MINI);
    Injector injector =
        Guice.createInjector(
            new ServerModule(TestConfigs.withRepository(repository, "").withHost("127.0.0.1")),
            new GrpcModule(),
            new NettyTransportModule());
    SwinserveServer server = injector.getInstance(SwinserveServer.class);
    server.start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      RecordedStream stream = new RecordedStream();
      StreamObserver<ClassifyRequest> requests =
          ClassifierGrpc.newStub(channel).classifyStream(stream);
      requests.onNext(Requests.to("mini").setRequestId("x".repeat(300)).build());
      assertThat(stream.awaitFirstResponse(60, TimeUnit.SECONDS))
          .as("the error response arrives")
          .isTrue();

      injector.getInstance(ShutdownDrain.class).abortAll();

      Status end = stream.end().get(60, TimeUnit.SECONDS);
      assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      com.google.rpc.Status details = StatusProto.fromThrowable(stream.error().get());
      assertThat(details.getDetailsList())
          .as("no UnansweredRequests: the one request read was answered")
          .isEmpty();
    } finally {
      channel.shutdownNow();
      server.shutdown();
    }
  }
}
