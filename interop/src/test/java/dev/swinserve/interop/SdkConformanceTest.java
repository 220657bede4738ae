package dev.swinserve.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * The Python, Go and TypeScript SDKs, each through its own test runner exactly as its README says
 * CI runs it, with the {@link ConformanceEnvironment}: every test a runner reports becomes a JUnit
 * test here, and every case of {@code clients/conformance/cases.json} must be among its passed
 * tests (a case a runner leaves out, skips or fails fails here).
 */
class SdkConformanceTest {

  private static final long MINUTES = 20;

  @TestFactory
  Stream<DynamicTest> python() throws IOException, InterruptedException {
    ConformanceEnvironment environment = ConformanceEnvironment.get();
    Path work = Files.createDirectories(environment.work().resolve("python"));
    Path root = environment.clients().getParent();
    Path venv = Path.of(System.getProperty("interop.sdk.venv"));
    Path log = work.resolve("install.log");
    List<String> problems = new ArrayList<>();
    if (!Files.isExecutable(venv.resolve("bin/python"))) {
      String python = System.getenv().getOrDefault("SWINSERVE_PYTHON", "python3");
      run(problems, root, log, Map.of(), python, "-m", "venv", venv.toString());
    }
    String python = venv.resolve("bin/python").toString();
    if (problems.isEmpty()) {
      run(
          problems,
          root,
          log,
          Map.of(),
          python,
          "-m",
          "pip",
          "install",
          "--disable-pip-version-check",
          "--no-input",
          "./clients/python[test]");
    }
    Path report = work.resolve("report.xml");
    Files.deleteIfExists(report);
    if (problems.isEmpty()) {
      run(
          problems,
          root,
          work.resolve("pytest.log"),
          environment.variables(),
          python,
          "-m",
          "pytest",
          "clients/python/tests",
          "-p",
          "no:cacheprovider",
          "-o",
          "junit_family=xunit1",
          "--junitxml=" + report);
    }
    return tests("python", environment, junit(report), problems);
  }

  @TestFactory
  Stream<DynamicTest> go() throws IOException, InterruptedException {
    ConformanceEnvironment environment = ConformanceEnvironment.get();
    Path work = Files.createDirectories(environment.work().resolve("go"));
    Path events = work.resolve("go-test.json");
    List<String> problems = new ArrayList<>();
    Map<String, String> variables = new LinkedHashMap<>(environment.variables());
    variables.put("GOTOOLCHAIN", "local");
    run(
        problems,
        environment.clients().resolve("go"),
        events,
        variables,
        "go",
        "test",
        "-count=1",
        "-json",
        "./...");
    run(
        problems,
        environment.clients().resolve("go"),
        work.resolve("go-vet.log"),
        Map.of("GOTOOLCHAIN", "local"),
        "go",
        "vet",
        "./...");
    return tests("go", environment, goEvents(events), problems);
  }

  @TestFactory
  Stream<DynamicTest> typescript() throws IOException, InterruptedException {
    ConformanceEnvironment environment = ConformanceEnvironment.get();
    Path work = Files.createDirectories(environment.work().resolve("typescript"));
    Path folder = environment.clients().resolve("typescript");
    Path report = work.resolve("report.xml");
    Files.deleteIfExists(report);
    List<String> problems = new ArrayList<>();
    run(
        problems,
        folder,
        work.resolve("npm-ci.log"),
        Map.of(),
        "npm",
        "ci",
        "--no-audit",
        "--no-fund");
    if (problems.isEmpty()) {
      Map<String, String> variables = new LinkedHashMap<>(environment.variables());
      variables.put("SWINSERVE_CONFORMANCE_REPORT", report.toString());
      run(problems, folder, work.resolve("npm-test.log"), variables, "npm", "test");
    }
    return tests("typescript", environment, junit(report), problems);
  }

  /** One reported test: its name, and why it did not pass (null when it passed). */
  private record Outcome(String name, String failure) {}

  private static void run(
      List<String> problems,
      Path directory,
      Path log,
      Map<String, String> variables,
      String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(variables);
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      problems.add("cannot run " + command[0] + ": " + e.getMessage());
      return;
    }
    boolean finished = process.waitFor(MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    System.out.printf(
        "conformance: %s took %d s in %s; output %s%n",
        String.join(" ", command),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
        directory,
        log);
    if (!finished || process.exitValue() != 0) {
      problems.add(
          String.join(" ", command)
              + (finished
                  ? " ended with exit code " + process.exitValue()
                  : " ran past " + MINUTES + " minutes")
              + "; the end of "
              + log
              + ":\n"
              + PythonEnvironment.tail(Files.readString(log), 6_000));
    }
  }

  /**
   * A test per reported test, a test per conformance case (passed by some reported test whose name
   * holds its id as a whole word), and one for a run that failed without a failing test to show.
   */
  private static Stream<DynamicTest> tests(
      String sdk, ConformanceEnvironment environment, List<Outcome> outcomes, List<String> problems)
      throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      tests.add(
          DynamicTest.dynamicTest(
              sdk + ": " + outcome.name(),
              () -> {
                if (outcome.failure() != null) {
                  throw new AssertionFailedError(outcome.failure());
                }
              }));
    }
    for (JsonNode testCase :
        new ObjectMapper().readTree(environment.cases().toFile()).get("cases")) {
      String id = testCase.get("id").asText();
      Pattern word = Pattern.compile("(^|[^A-Za-z0-9_])" + Pattern.quote(id) + "($|[^A-Za-z0-9_])");
      tests.add(
          DynamicTest.dynamicTest(
              sdk + " conformance: " + id,
              () -> {
                List<Outcome> matching =
                    outcomes.stream().filter(o -> word.matcher(o.name()).find()).toList();
                if (matching.isEmpty()) {
                  throw new AssertionFailedError(sdk + " reported no test for case " + id);
                }
                for (Outcome outcome : matching) {
                  if (outcome.failure() != null) {
                    throw new AssertionFailedError(outcome.name() + ": " + outcome.failure());
                  }
                }
              }));
    }
    boolean anyFailed = outcomes.stream().anyMatch(o -> o.failure() != null);
    if (!problems.isEmpty() && !anyFailed || outcomes.isEmpty()) {
      String why =
          problems.isEmpty() ? sdk + "'s runner reported no test" : String.join("\n", problems);
      tests.add(
          DynamicTest.dynamicTest(
              sdk + ": the run",
              () -> {
                throw new AssertionFailedError(why);
              }));
    }
    return tests.stream();
  }

  /** The tests of a JUnit XML report (pytest's, Node's): passed, or failed/errored/skipped. */
  private static List<Outcome> junit(Path report) throws IOException {
    if (!Files.exists(report)) {
      return List.of();
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (PytestCase testCase : PytestReport.read(report)) {
      outcomes.add(
          new Outcome(
              testCase.nodeId(),
              testCase.outcome() == PytestCase.Outcome.PASSED
                  ? null
                  : testCase.outcome() + ": " + testCase.message() + "\n" + testCase.details()));
    }
    return outcomes;
  }

  /** The tests of {@code go test -json}: each test's last action, with its output on failure. */
  private static List<Outcome> goEvents(Path events) throws IOException {
    if (!Files.exists(events)) {
      return List.of();
    }
    ObjectMapper json = new ObjectMapper();
    Map<String, StringBuilder> output = new LinkedHashMap<>();
    Map<String, String> actions = new LinkedHashMap<>();
    for (String line : Files.readAllLines(events)) {
      if (!line.startsWith("{")) {
        continue; // a build error, printed as text; the exit code reports it
      }
      JsonNode event = json.readTree(line);
      String test = event.path("Test").asText("");
      if (test.isEmpty()) {
        continue;
      }
      String name = event.path("Package").asText() + "." + test;
      String action = event.path("Action").asText();
      if (action.equals("output")) {
        output
            .computeIfAbsent(name, key -> new StringBuilder())
            .append(event.path("Output").asText());
      } else if (action.equals("pass") || action.equals("fail") || action.equals("skip")) {
        actions.put(name, action);
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    actions.forEach(
        (name, action) ->
            outcomes.add(
                new Outcome(
                    name,
                    action.equals("pass")
                        ? null
                        : action + ":\n" + output.getOrDefault(name, new StringBuilder()))));
    return outcomes;
  }
}
