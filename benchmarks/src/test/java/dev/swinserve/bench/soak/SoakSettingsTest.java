package dev.swinserve.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SoakSettingsTest {

  @Test
  void readsDurationsAsWrittenOnACommandLine() {
    assertThat(SoakSettings.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(SoakSettings.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(SoakSettings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(SoakSettings.parseDuration("PT3M")).isEqualTo(Duration.ofMinutes(3));
    assertThatThrownBy(() -> SoakSettings.parseDuration("soon"))
        .hasMessageContaining("not a duration: 'soon'");
  }

  @Test
  void formatsDurationsInTheirLargestWholeUnit() {
    assertThat(SoakSettings.format(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(SoakSettings.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(SoakSettings.format(Duration.ofHours(2))).isEqualTo("2h");
  }

  @Test
  void theEarlyMarkIsFiveMinutesOrAThirdOfAShorterRun() {
    assertThat(SoakSettings.defaults(Duration.ofMinutes(30), 9).earlyMark())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(SoakSettings.defaults(Duration.ofMinutes(3), 9).earlyMark())
        .isEqualTo(Duration.ofMinutes(1));
  }
}
