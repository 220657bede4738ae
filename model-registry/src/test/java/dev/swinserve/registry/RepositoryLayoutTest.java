package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryLayoutTest {

  @ParameterizedTest
  @ValueSource(strings = {"swinv2-tiny", "resnet_50", "Model.v2", "a", "-dash-first", "x1"})
  void acceptsPortableModelNames(String name) {
    assertThat(RepositoryLayout.isValidModelName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".hidden",
        "..",
        "a..b",
        "with space",
        "slash/ed",
        "back\\slash",
        "ünïcode",
        "a:b"
      })
  void refusesOtherModelNames(String name) {
    assertThat(RepositoryLayout.isValidModelName(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {128, 129})
  void limitsModelNamesTo128Characters(int length) {
    assertThat(RepositoryLayout.isValidModelName("m".repeat(length))).isEqualTo(length <= 128);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "42", "999999999999999999"})
  void readsPositiveVersionsOfUpTo18Digits(String name) {
    assertThat(RepositoryLayout.parseVersion(name))
        .isEqualTo(OptionalLong.of(Long.parseLong(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "01", "-1", "1000000000000000000", "v1", "1.0", ".staging-3", ""})
  void refusesOtherVersionDirectoryNames(String name) {
    assertThat(RepositoryLayout.parseVersion(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"stable", "canary", "a", "0", "blue-green", "exp_2"})
  void acceptsLabels(String label) {
    assertThat(RepositoryLayout.isValidLabel(label)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Stable", "-x", "_x", "a b", "a.b"})
  void refusesOtherLabels(String label) {
    assertThat(RepositoryLayout.isValidLabel(label)).isFalse();
  }
}
