package dev.swinserve.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

/** The one place that decides how a client reaches a server, so transport security is added once. */
public final class ClientChannels {

  private ClientChannels() {}

  /**
   * A plaintext channel to {@code target} ({@code HOST:PORT} or any gRPC target string). The
   * caller owns the channel and must shut it down.
   */
  public static ManagedChannel plaintext(String target) {
    return ManagedChannelBuilder.forTarget(target).usePlaintext().build();
  }

  /**
   * Shuts {@code channel} down, giving calls in progress up to five seconds before cancelling them.
   * An interrupt cancels them at once and stays set.
   */
  public static void shutdown(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
