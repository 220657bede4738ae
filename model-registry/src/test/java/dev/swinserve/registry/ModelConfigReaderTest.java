package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.config.ConfigTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigReaderTest {

  @TempDir Path directory;

  private ModelConfig read(String yaml) throws IOException {
    return ModelConfigReader.read(Files.writeString(directory.resolve("model.yaml"), yaml));
  }

  private void assertInvalid(String yaml, String expected) {
    Path file = directory.resolve("model.yaml");
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(expected);
  }

  @Test
  void mapsEveryKey() throws IOException {
    ModelConfig config =
        read(
            """
        version_policy: {latest: 2}
        labels: {stable: 1, canary: 2}
        runtime: {intra_op_threads: 2, batching: {max_batch: 8}}
        """);

    assertThat(config.versionPolicy()).isEqualTo(VersionPolicy.latest(2));
    assertThat(config.labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("stable", 1L, "canary", 2L));
    assertThat(config.runtime())
        .isEqualTo(ConfigTree.parse("{intra_op_threads: 2, batching: {max_batch: 8}}", "expected"));
    assertThat(config.runtime().prefix()).isEqualTo("runtime");
    assertThat(config.runtime().source()).isEqualTo(directory.resolve("model.yaml").toString());
  }

  @Test
  void emptyFileAndAbsentKeysMeanDefaults() throws IOException {
    ModelConfig defaults = ModelConfig.defaults();

    assertThat(read("")).isEqualTo(defaults);
    assertThat(read("# nothing set\n")).isEqualTo(defaults);
    ModelConfig labelsOnly = read("labels: {stable: 3}\n");
    assertThat(labelsOnly.versionPolicy()).isEqualTo(VersionPolicy.latest(1));
    assertThat(labelsOnly.runtime().isEmpty()).isTrue();
  }

  @Test
  void readsEveryVersionPolicyForm() throws IOException {
    assertThat(read("version_policy: all\n").versionPolicy()).isEqualTo(VersionPolicy.all());
    assertThat(read("version_policy: {all: {}}\n").versionPolicy()).isEqualTo(VersionPolicy.all());
    assertThat(read("version_policy: {latest: 3}\n").versionPolicy())
        .isEqualTo(VersionPolicy.latest(3));
    assertThat(
            read("version_policy: {specific: [1, 3]}\n")
                .versionPolicy()
                .select(List.of(1L, 2L, 3L)))
        .isEqualTo(Set.of(1L, 3L));
    assertThat(read("version_policy:\n  specific:\n    - 5\n").versionPolicy())
        .isEqualTo(VersionPolicy.specific(List.of(5L)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "color: red                               | 'color' is an unknown key (known keys here: labels, runtime, version_policy) (line 1)",
        "version_policy: newest                   | 'version_policy' must be 'all'",
        "version_policy: {latest: 0}              | 'version_policy.latest' must be a positive integer, got 0",
        "version_policy: {latest: two}            | 'version_policy.latest' must be a positive integer, got \"two\"",
        "version_policy: {latest: 1, all: {}}     | 'version_policy' must be 'all'",
        "version_policy: {oldest: 1}              | 'version_policy.oldest' is an unknown policy",
        "version_policy: {all: 3}                 | 'version_policy.all' takes no settings",
        "version_policy: {specific: []}           | 'version_policy.specific' must be a non-empty list",
        "version_policy: {specific: [1, -2]}      | 'version_policy.specific[1]' must be a positive version number, got -2",
        "labels: [stable]                         | 'labels' must be a mapping, got [\"stable\"]",
        "labels: {Stable: 1}                      | 'labels' 'Stable' is not a valid label name ([a-z0-9][a-z0-9_-]*, at most 64 characters)",
        "labels: {stable: 1.5}                    | 'labels.stable' must be an integer, got 1.5",
        "labels: {stable: latest}                 | 'labels.stable' must be an integer",
        "labels: {stable: 0}                      | 'labels.stable' must be a positive version number, got 0",
        "runtime: fast                            | 'runtime' must be a mapping, got \"fast\"",
        "[1, 2]                                   | must be a mapping, got [1,2]",
      })
  void namesTheKeyAtFault(String yaml, String expected) {
    assertInvalid(yaml, expected);
  }

  @Test
  void refusesDuplicateKeys() {
    assertInvalid("labels: {stable: 1}\nlabels: {stable: 2}\n", "Duplicate field 'labels'");
  }

  @Test
  void reportsSyntaxErrorsWithTheirLine() {
    assertInvalid("labels: {stable: 1\nruntime: {}\n", "not valid YAML");
    assertInvalid("labels: {stable: 1\nruntime: {}\n", "(line ");
  }

  @Test
  void reportsAMissingFile() {
    Path missing = directory.resolve("absent.yaml");

    assertThatThrownBy(() -> ModelConfigReader.read(missing))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageStartingWith(missing + ": cannot read");
  }
}
