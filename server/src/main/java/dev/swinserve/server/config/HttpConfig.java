package dev.swinserve.server.config;

import dev.swinserve.config.Range;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The HTTP/REST front door (the Open Inference Protocol over HTTP, as Triton serves it beside its
 * gRPC port): off unless a port is set, as TensorFlow Serving's REST port is. Immutable.
 *
 * @param port the HTTP port; 0 picks any free port, -1 turns HTTP off
 * @param portFile where to write the bound HTTP port once the server is ready
 * @param maxBodyBytes largest request body accepted (413 beyond); by default the gRPC {@code
 *     max_inbound_message_bytes}
 * @param threads threads that read request bodies and map them (inference runs elsewhere, on the
 *     schedulers' threads; never on the connections' event loops)
 */
public record HttpConfig(int port, Optional<Path> portFile, int maxBodyBytes, int threads) {

  /** The port that turns HTTP off. */
  public static final int OFF = -1;

  public static final Range PORT = new Range("port", OFF, 65_535);
  public static final Range MAX_BODY_BYTES = new Range("max_body_bytes", 1024, 1 << 30);
  public static final Range THREADS = new Range("threads", 1, 256);

  public HttpConfig {
    PORT.check(port);
    MAX_BODY_BYTES.check(maxBodyBytes);
    THREADS.check(threads);
  }

  /** Off, with a body limit of {@code maxBodyBytes} and one thread per core. */
  public static HttpConfig off(int maxBodyBytes) {
    return new HttpConfig(
        OFF, Optional.empty(), maxBodyBytes, Runtime.getRuntime().availableProcessors());
  }

  public boolean enabled() {
    return port != OFF;
  }
}
