package dev.swinserve.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.logging.TransportLogFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Runs a server for the life of its JVM: what {@code swinserve serve} does once its configuration
 * is complete (the launcher parses the command line and prepares the default repository; this class
 * knows neither).
 */
public final class ServerRunner {

  private ServerRunner() {}

  /**
   * Wires the production modules for {@code config} (whose model repository must be set), starts
   * the server, and blocks until it has terminated. SIGTERM and SIGINT shut it down gracefully
   * (NOT_SERVING, the drain delay, then the grace period for calls in flight) and end the JVM with
   * exit code 0: call this only from a process's main thread, as its last act.
   */
  public static void runUntilShutdown(ServerConfig config)
      throws IOException, InterruptedException {
    TransportLogFilter.install();
    Injector injector =
        Guice.createInjector(
            new ServerModule(config), new GrpcModule(), new NettyTransportModule());
    SwinserveServer server = injector.getInstance(SwinserveServer.class);
    server.start();
    System.err.println(
        "swinserve: serving "
            + config.modelRepository().orElseThrow()
            + " on "
            + config.host().map(address -> address + " ").orElse("")
            + "port "
            + server.port());
    exposure(config).ifPresent(System.err::println);
    // SIGTERM and SIGINT run shutdown hooks; a graceful shutdown is a success, so exit 0, not 143.
    // Printed, not logged: java.util.logging resets its handlers in its own shutdown hook.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println(
                      "swinserve: shutting down: NOT_SERVING, still answering for "
                          + server.shutdownDrainDelay().toMillis()
                          + " ms, then draining calls for up to "
                          + server.shutdownGrace().toMillis()
                          + " ms");
                  server.shutdown();
                  System.err.println("swinserve: stopped");
                  Runtime.getRuntime().halt(0);
                },
                "swinserve-shutdown"));
    server.awaitTermination();
  }

  /**
   * What to say loudly at start when the server can be reached from other machines without {@code
   * auth:}: every caller may make every call, the admin ones included; and, without {@code tls:},
   * in plaintext. Empty when it listens on loopback only or checks who calls.
   */
  public static Optional<String> exposure(ServerConfig config) {
    boolean loopback =
        config
            .host()
            .map(
                host -> {
                  try {
                    return InetAddress.getByName(host).isLoopbackAddress();
                  } catch (UnknownHostException e) {
                    return false;
                  }
                })
            .orElse(false);
    if (loopback || config.auth().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "swinserve: WARNING: listening on "
            + config.host().orElse("every interface")
            + " with no authentication (auth: in server.yaml): every caller may make every call,"
            + " the admin ones too"
            + " (SetLabel, SetEndpoint, DeleteEndpoint, ReloadRepository, repository load and"
            + " unload, metrics reset)"
            + (config.tls().isEmpty() ? ", in plaintext" : "")
            + ". Listen on 127.0.0.1 (--host) or keep the port behind a trusted network.");
  }
}
