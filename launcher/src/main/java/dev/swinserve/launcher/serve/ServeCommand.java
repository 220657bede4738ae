package dev.swinserve.launcher.serve;

import dev.swinserve.server.ServerRunner;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.config.ServerConfigReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swinserve serve}: the main job. Turns its options (and, without a repository, the default
 * one, which {@link DefaultRepository} prepares) into a {@link ServerConfig}, and runs the server.
 */
@Command(
    name = "serve",
    sortOptions = false,
    description =
        "Serves the models of a repository over gRPC (Classifier, ModelService, health, reflection,"
            + " TensorFlow Serving, KServe v2) and, with --http-port, KServe v2 over HTTP.")
public final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "server YAML (see configs/server.yaml)")
  Path configFile;

  @Option(
      names = "--model-repository",
      paramLabel = "DIR",
      description =
          "<repository>/<model>/<version>/; default: ~/.swinserve/models, made on first start")
  Path modelRepository;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "the address to listen on (default: every interface)")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "gRPC port (default 8500); 0 picks any free port")
  Integer port;

  @Option(
      names = "--port-file",
      paramLabel = "FILE",
      description = "write the bound port here once the models are loaded and the server is ready")
  Path portFile;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description =
          "KServe v2 / Open Inference Protocol HTTP port (Triton's is 8000); 0 picks any free"
              + " port, -1 turns HTTP off (the default, unless the config sets http.port)")
  Integer httpPort;

  @Option(
      names = "--http-port-file",
      paramLabel = "FILE",
      description = "write the bound HTTP port here once the server is ready, like --port-file")
  Path httpPortFile;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new ServeCommand());
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          line.getErr().println("serve failed: " + exception.getMessage());
          return 1;
        });
    int exitCode = commandLine.execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config =
        configFile != null ? ServerConfigReader.read(configFile) : ServerConfig.defaults();
    if (host != null) {
      config = config.withHost(host);
    }
    if (port != null) {
      config = config.withPort(port);
    }
    if (portFile != null) {
      config = config.withPortFile(portFile);
    }
    if (httpPort != null) {
      config = config.withHttpPort(httpPort);
    }
    if (httpPortFile != null) {
      config = config.withHttpPortFile(httpPortFile);
    }
    if (modelRepository != null) {
      config = config.withModelRepository(modelRepository);
    } else if (config.modelRepository().isEmpty()) {
      Map<String, String> environment = System.getenv();
      config =
          config.withModelRepository(
              DefaultRepository.prepare(
                  DefaultRepository.location(environment), environment, System.err));
    }
    ServerRunner.runUntilShutdown(config);
    return 0;
  }
}
