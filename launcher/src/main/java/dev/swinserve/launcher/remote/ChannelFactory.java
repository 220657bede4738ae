package dev.swinserve.launcher.remote;

import io.grpc.ManagedChannel;

/**
 * Opens the channel a command talks over; production uses {@link
 * dev.swinserve.client.ClientChannels#plaintext}, tests an in-process channel.
 */
@FunctionalInterface
public interface ChannelFactory {

  /** A new channel to {@code target} ({@code HOST:PORT}); the caller owns it. */
  ManagedChannel open(String target);
}
