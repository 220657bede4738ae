package dev.swinserve.interop;

import dev.swinserve.client.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
 * @param tls the {@code tls} case's files, by variable suffix ({@code TLS_CONFIG}, {@code TLS_CA},
 *     {@code TLS_CLIENT_CERT}, {@code TLS_CLIENT_KEY})
 */
record ConformanceEnvironment(
    Path serve,
    Path repository,
    Path expected,
    Path cases,
    Path clients,
    Path work,
    Map<String, Path> tls) {

  private static ConformanceEnvironment prepared;

  /** The environment, made on first use. */
  static synchronized ConformanceEnvironment get() {
    if (prepared == null) {
      try {
        prepared = prepare();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot make the TLS case's certificates", e);
      }
    }
    return prepared;
  }

  /** The variables a runner reads: SWINSERVE_CONFORMANCE_SERVE, _REPOSITORY, _EXPECTED, _TLS_*. */
  Map<String, String> variables() {
    Map<String, String> variables = new TreeMap<>();
    variables.put("SWINSERVE_CONFORMANCE_SERVE", serve.toString());
    variables.put("SWINSERVE_CONFORMANCE_REPOSITORY", repository.toString());
    variables.put("SWINSERVE_CONFORMANCE_EXPECTED", expected.toString());
    tls.forEach((name, file) -> variables.put("SWINSERVE_CONFORMANCE_" + name, file.toString()));
    return variables;
  }

  /** A {@code tls} case's file: {@code tls_ca} is {@code SWINSERVE_CONFORMANCE_TLS_CA}'s. */
  Path tlsFile(String name) {
    Path file = tls.get(name.toUpperCase(Locale.ROOT));
    if (file == null) {
      throw new IllegalArgumentException("no TLS file " + name + "; there are " + tls.keySet());
    }
    return file;
  }

  private static ConformanceEnvironment prepare() throws IOException, GeneralSecurityException {
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
        serve,
        repository,
        expected,
        clients.resolve("conformance/cases.json"),
        clients,
        work,
        tls(Files.createDirectories(root.resolve("tls"))));
  }

  /**
   * Certificates made now (never committed): a CA, a server certificate for 127.0.0.1 and
   * localhost, a client certificate, and a server.yaml that requires mutual TLS with them.
   */
  private static Map<String, Path> tls(Path folder) throws IOException, GeneralSecurityException {
    TestCertificates.Authority ca = new TestCertificates.Authority("swinserve conformance CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");
    TestCertificates.PemFiles client = ca.client("conformance-client").written(folder, "client");
    Path config = folder.resolve("server-tls.yaml");
    Files.writeString(
        config,
        "tls:\n  cert_chain: "
            + server.chain()
            + "\n  private_key: "
            + server.key()
            + "\n  trusted_cas: "
            + caFile
            + "\n  client_auth: require\n");
    return Map.of(
        "TLS_CONFIG",
        config,
        "TLS_CA",
        caFile,
        "TLS_CLIENT_CERT",
        client.chain(),
        "TLS_CLIENT_KEY",
        client.key());
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
