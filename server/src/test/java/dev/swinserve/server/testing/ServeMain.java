package dev.swinserve.server.testing;

import dev.swinserve.server.ServerRunner;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.config.ServerConfigReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's own JVM for {@link ServerProcess}: {@link ServerRunner} as the launcher's {@code
 * serve} runs it, from the options {@code ServerProcess} passes ({@code --model-repository}, {@code
 * --port}, {@code --port-file}, optionally {@code --host} and {@code --config}), each followed by
 * its value. The command line itself is the launcher's, and tested there.
 */
public final class ServeMain {

  private ServeMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    ServerConfig config =
        options.containsKey("--config")
            ? ServerConfigReader.read(Path.of(options.get("--config")))
            : ServerConfig.defaults();
    config =
        config
            .withModelRepository(Path.of(options.get("--model-repository")))
            .withPort(Integer.parseInt(options.get("--port")))
            .withPortFile(Path.of(options.get("--port-file")));
    if (options.containsKey("--host")) {
      config = config.withHost(options.get("--host"));
    }
    ServerRunner.runUntilShutdown(config);
  }
}
