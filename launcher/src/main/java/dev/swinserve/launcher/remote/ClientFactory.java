package dev.swinserve.launcher.remote;

import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.SwinserveClient;

/**
 * Opens the resilient client a command classifies with; production connects to the config's target
 * ({@link SwinserveClient#connect}), tests to an in-process server.
 */
@FunctionalInterface
public interface ClientFactory {

  /** A new client as {@code config} says; the caller owns it and closes it. */
  SwinserveClient open(ClientConfig config);
}
