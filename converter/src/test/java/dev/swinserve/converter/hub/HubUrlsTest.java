package dev.swinserve.converter.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HubUrlsTest {

  private static final URI ENDPOINT = URI.create("https://huggingface.co");

  @Test
  void escapesTheRevisionAsOneSegment() {
    assertThat(
            HubUrls.resolve(
                ENDPOINT,
                "microsoft/swinv2-tiny-patch4-window8-256",
                "refs/pr/1",
                "model.safetensors"))
        .hasToString(
            "https://huggingface.co/microsoft/swinv2-tiny-patch4-window8-256/resolve/refs%2Fpr%2F1/model.safetensors");
  }

  @Test
  void keepsSlashesInFileNamesAndEscapesTheRestLikePythonQuote() {
    assertThat(HubUrls.resolve(ENDPOINT, "owner/name", "main", "sub dir/é+.json"))
        .hasToString("https://huggingface.co/owner/name/resolve/main/sub%20dir/%C3%A9%2B.json");
  }

  @Test
  void refusesRepositoryIdsThatCouldLeaveTheCache() {
    assertThatThrownBy(() -> HubUrls.checkRepository("../etc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../etc");
    assertThatThrownBy(() -> HubUrls.checkRepository("a/b/c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(HubUrls.checkRepository("bert-base-uncased")).isEqualTo("bert-base-uncased");
  }

  @Test
  void refusesRevisionsThatCouldLeaveTheCache() {
    assertThatThrownBy(() -> HubUrls.checkRevision("refs/../../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refs/../../x");
    assertThat(HubUrls.checkRevision("refs/pr/1")).isEqualTo("refs/pr/1");
  }
}
