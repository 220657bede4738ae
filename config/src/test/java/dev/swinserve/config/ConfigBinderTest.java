package dev.swinserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBinderTest {

  @TempDir Path folder;

  /** A config of every kind of key: scalars, a list, a nested section. */
  record Sample(
      int count, String name, boolean on, double ratio, List<Integer> sizes, int innerLimit) {
    static final Range COUNT = new Range("count", 0, 10);
    static final Range INNER_LIMIT = new Range("limit", 1, 5);

    static final class Builder {
      @JsonProperty("count")
      private int count = 1;

      @JsonProperty("name")
      private String name = "default";

      @JsonProperty("on")
      private boolean on = true;

      @JsonProperty("ratio")
      private double ratio = 0.5;

      @JsonProperty("sizes")
      private List<Integer> sizes = List.of(1);

      @JsonProperty("inner")
      @JsonMerge
      private Inner inner = new Inner();

      Sample build() {
        return new Sample(
            COUNT.check(count),
            name,
            on,
            ratio,
            sizes,
            ConfigValueException.within("inner", () -> INNER_LIMIT.check(inner.limit)));
      }
    }

    static final class Inner {
      @JsonProperty("limit")
      private int limit = 2;
    }
  }

  private static final Sample DEFAULTS = new Sample(1, "default", true, 0.5, List.of(1), 2);

  private Path file(String yaml) throws IOException {
    return Files.writeString(folder.resolve("sample.yaml"), yaml);
  }

  private Sample bind(String yaml) throws IOException {
    return ConfigTree.read(file(yaml)).bind(new Sample.Builder(), Sample.Builder::build);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refusal(String yaml) throws IOException {
    Path file = file(yaml);
    return assertThatThrownBy(
            () -> ConfigTree.read(file).bind(new Sample.Builder(), Sample.Builder::build))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": ");
  }

  @Test
  void anEmptyFileAndKeysWithoutValueKeepEveryDefault() throws IOException {
    assertThat(bind("")).isEqualTo(DEFAULTS);
    assertThat(bind("# only a comment\n")).isEqualTo(DEFAULTS);
    assertThat(bind("count:\ninner:\n")).isEqualTo(DEFAULTS);
  }

  @Test
  void mapsEveryKeyAndKeepsTheAbsentOnesOfASection() throws IOException {
    assertThat(
            bind(
                """
        count: 7
        name: seven
        on: false
        ratio: 3
        sizes: [2, 4]
        inner: {limit: 5}
        """))
        .isEqualTo(new Sample(7, "seven", false, 3.0, List.of(2, 4), 5));
    assertThat(bind("inner: {}\n").innerLimit()).isEqualTo(2);
  }

  @Test
  void refusesAnUnknownKeyNamingItsPathAndLine() throws IOException {
    refusal("count: 1\ninner:\n  limt: 3\n")
        .hasMessageContaining("'inner.limt' is an unknown key (known keys here: limit) (line 3)");
  }

  @Test
  void refusesADuplicateKeyWithItsLine() throws IOException {
    refusal("count: 1\nname: a\ncount: 2\n")
        .hasMessageContaining("Duplicate field 'count'")
        .hasMessageContaining("(line 3)");
    refusal("inner:\n  limit: 1\n  limit: 2\n").hasMessageContaining("Duplicate field 'limit'");
  }

  @Test
  void refusesAValueOfTheWrongType() throws IOException {
    refusal("count: '3'\n")
        .hasMessageContaining("'count' must be an integer")
        .hasMessageContaining("(line 1)");
    refusal("count: 1.5\n").hasMessageContaining("'count' must be an integer");
    refusal("count: 99999999999\n").hasMessageContaining("'count' must be an integer");
    refusal("name: 12\n").hasMessageContaining("'name' must be a non-empty string, got 12");
    refusal("on: 1\n").hasMessageContaining("'on' must be true or false");
    refusal("on: 'yes'\n").hasMessageContaining("'on' must be true or false");
    refusal("ratio: fast\n").hasMessageContaining("'ratio' must be a number");
    refusal("sizes: 4\n").hasMessageContaining("'sizes' must be a list, got 4");
    refusal("\nsizes: [1, x]\n")
        .hasMessageContaining("'sizes[1]' must be an integer")
        .hasMessageContaining("(line 2)");
    refusal("sizes: [1, null]\n").hasMessageContaining("'sizes[1]'");
    refusal("inner: 3\n").hasMessageContaining("'inner' must be a mapping, got 3");
    refusal("[1, 2]\n").hasMessageContaining("must be a mapping");
  }

  @Test
  void refusesAValueOutOfRangeNamingTheKeyFromTheTopAndItsLine() throws IOException {
    refusal("count: 11\n")
        .hasMessage(folder.resolve("sample.yaml") + ": 'count' must be in 0..10, got 11 (line 1)");
    refusal("name: x\ninner:\n  limit: 9\n")
        .hasMessageContaining("'inner.limit' must be in 1..5, got 9 (line 3)");
  }

  @Test
  void refusesAFileThatIsNotYamlWithItsLine() throws IOException {
    refusal("count: [1\nname: x\n")
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("(line ");
  }

  @Test
  void aSectionIsBoundWithTheKeysAndLinesOfItsFile() throws IOException {
    ConfigTree tree = ConfigTree.read(file("other: 1\nsample:\n  count: 3\n  inner: {limit: 0}\n"));
    ConfigTree section = tree.section("sample");

    assertThat(section.prefix()).isEqualTo("sample");
    assertThat(section.keys()).containsExactly("count", "inner", "inner.limit");
    assertThatThrownBy(() -> section.bind(new Sample.Builder(), Sample.Builder::build))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.key()).isEqualTo("sample.inner.limit");
              assertThat(e.line()).isEqualTo(OptionalInt.of(4));
            })
        .hasMessageContaining("'sample.inner.limit' must be in 1..5, got 0 (line 4)");
    assertThat(tree.section("absent").isEmpty()).isTrue();
    assertThat(tree.section("absent")).isEqualTo(ConfigTree.empty("x"));
  }

  @Test
  void listsEveryKeyABuilderBinds() {
    assertThat(ConfigBinder.keys(Sample.Builder.class))
        .containsExactly("count", "inner", "inner.limit", "name", "on", "ratio", "sizes");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = folder.resolve("absent.yaml");

    assertThatThrownBy(() -> ConfigTree.read(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(missing + ": cannot read");
  }

  @Test
  void rangesNameTheirKey() {
    assertThatThrownBy(() -> new Range("x", 2, 1)).hasMessageContaining("empty range 2..1 for x");
    assertThatThrownBy(() -> Sample.COUNT.check(-1))
        .isInstanceOf(ConfigValueException.class)
        .hasMessage("'count' must be in 0..10, got -1");
    assertThat(Sample.COUNT.millis(10)).hasMillis(10);
    assertThatThrownBy(() -> Sample.COUNT.checkMillis(Double.NaN))
        .hasMessageContaining("'count' must be in 0..10 ms");
  }
}
