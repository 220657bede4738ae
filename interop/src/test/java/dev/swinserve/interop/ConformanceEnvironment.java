package dev.swinserve.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * What every conformance runner is given (clients/conformance/README.md): a script that runs {@code
 * swinserve serve} from this JVM's class path, the {@link InteropRepository} to serve, the {@link
 * FixtureExpectations} and the cases file. Made once per test JVM in {@code
 * interop/target/conformance}; never changed by a runner.
 *
 * @param serve the script: {@code serve.sh ARGUMENTS} is {@code swinserve serve ARGUMENTS}
 * @param repository the model repository to serve
 * @param expected {@code expected.json}
 * @param cases {@code clients/conformance/cases.json}
 * @param clients the repository's {@code clients/} folder
 * @param work a folder for the runners' reports and logs
 */
record ConformanceEnvironment(
    Path serve, Path repository, Path expected, Path cases, Path clients, Path work) {

  private static ConformanceEnvironment prepared;

  /** The environment, made on first use. */
  static synchronized ConformanceEnvironment get() {
    if (prepared == null) {
      try {
        prepared = prepare();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return prepared;
  }

  /** The variables a runner reads: SWINSERVE_CONFORMANCE_SERVE, _REPOSITORY, _EXPECTED. */
  Map<String, String> variables() {
    return Map.of(
        "SWINSERVE_CONFORMANCE_SERVE", serve.toString(),
        "SWINSERVE_CONFORMANCE_REPOSITORY", repository.toString(),
        "SWINSERVE_CONFORMANCE_EXPECTED", expected.toString());
  }

  private static ConformanceEnvironment prepare() throws IOException {
    Path root = Path.of(property("interop.conformance"));
    Path clients = Path.of(property("interop.clients")).toAbsolutePath().normalize();
    Folders.deleteTree(root);
    Files.createDirectories(root);
    Path repository = InteropRepository.write(root.resolve("models"));
    Path expected = FixtureExpectations.write(root.resolve("expected"));
    Path serve = root.resolve("serve.sh");
    Files.writeString(
        serve,
        "#!/bin/sh\n"
            + "# swinserve serve, from the class path of the JVM that wrote this (interop's tests).\n"
            + "TF_CPP_MIN_LOG_LEVEL=1 TF_OVERRIDE_GLOBAL_THREADPOOL=1 exec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -Xms64m -cp '"
            + System.getProperty("java.class.path")
            + "' dev.swinserve.launcher.serve.ServeCommand \"$@\"\n");
    Files.setPosixFilePermissions(serve, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path work = Files.createDirectories(root.resolve("runs"));
    return new ConformanceEnvironment(
        serve, repository, expected, clients.resolve("conformance/cases.json"), clients, work);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + name + " is not set; run these tests with Maven (interop/pom.xml)");
    }
    return value;
  }
}
