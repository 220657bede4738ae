package dev.swinserve.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.swinserve.interop.PytestCase.Outcome;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Reports written by pytest 9 itself ({@code --junitxml}, xunit1) for the test files beside them in
 * src/test/resources: every case becomes a JUnit test named by its node id that fails unless the
 * case passed.
 */
class PytestReportTest {

  @Test
  void everyCaseKeepsItsNodeIdAndOutcome() throws Exception {
    List<PytestCase> cases = PytestReport.read(resource("pytest-report.xml"));

    assertThat(cases)
        .extracting(PytestCase::nodeId, PytestCase::outcome)
        .containsExactly(
            tuple("test_x.py::test_a", Outcome.PASSED),
            tuple("test_x.py::test_b", Outcome.FAILED),
            tuple("test_x.py::test_c[1]", Outcome.PASSED),
            tuple("test_x.py::test_c[a b]", Outcome.PASSED),
            tuple("test_x.py::test_s", Outcome.SKIPPED),
            tuple("test_x.py::test_xf", Outcome.XFAIL),
            tuple("test_x.py::TestK::test_m", Outcome.PASSED),
            tuple("test_x.py::test_e", Outcome.ERROR));
  }

  @Test
  void onlyAPassedCaseMakesAPassingJunitTest() throws Exception {
    List<PytestCase> cases = PytestReport.read(resource("pytest-report.xml"));

    assertThatCode(
            () -> byName(cases, "test_x.py::test_a").toDynamicTest().getExecutable().execute())
        .doesNotThrowAnyException();
    assertFails(
        byName(cases, "test_x.py::test_b"), "failed: AssertionError: nope", "assert 1 == 2");
    assertFails(byName(cases, "test_x.py::test_s"), "skipped", "why");
    assertFails(byName(cases, "test_x.py::test_xf"), "expected failure", "known");
    assertFails(byName(cases, "test_x.py::test_e"), "outside the test", "RuntimeError: fixture");
  }

  @Test
  void aModuleThatDoesNotImportIsOneFailingCaseNamedByItsFile() throws Exception {
    List<PytestCase> cases = PytestReport.read(resource("pytest-collection-error.xml"));

    assertThat(cases).hasSize(1);
    assertThat(cases.get(0).nodeId()).isEqualTo("test_bad.py");
    assertFails(cases.get(0), "collection failure", "No module named 'no_such_module'");
  }

  private static void assertFails(PytestCase testCase, String... messageParts) {
    assertThatThrownBy(() -> testCase.toDynamicTest().getExecutable().execute())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContainingAll(messageParts);
  }

  private static PytestCase byName(List<PytestCase> cases, String nodeId) {
    return cases.stream().filter(c -> c.nodeId().equals(nodeId)).findFirst().orElseThrow();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(PytestReportTest.class.getResource("/" + name), name).toURI());
  }
}
