package dev.swinserve.converter.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubFileMetadataTest {

  private static final URI RESOLVE =
      URI.create("https://hub.test/owner/name/resolve/main/model.safetensors");
  private static final String SHA256 = "0123456789abcdef".repeat(4);

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> lists = new HashMap<>();
    values.forEach((name, value) -> lists.put(name, List.of(value)));
    return HttpHeaders.of(lists, (name, value) -> true);
  }

  @Test
  void prefersTheLinkedEtagAndSizeOfAnLfsRedirect() {
    HubFileMetadata metadata =
        HubFileMetadata.fromHeaders(
            RESOLVE,
            headers(
                Map.of(
                    "X-Repo-Commit",
                    "c".repeat(40),
                    "X-Linked-Etag",
                    "\"" + SHA256 + "\"",
                    "X-Linked-Size",
                    "6242944",
                    "ETag",
                    "W/\"pointer\"",
                    "Content-Length",
                    "20",
                    "Location",
                    "https://cdn.test/blob?sig=1")),
            "model.safetensors");

    assertThat(metadata.etag()).isEqualTo(SHA256);
    assertThat(metadata.sha256()).hasValue(SHA256);
    assertThat(metadata.size()).hasValue(6242944);
    assertThat(metadata.location()).isEqualTo(URI.create("https://cdn.test/blob?sig=1"));
    assertThat(metadata.commit()).isEqualTo("c".repeat(40));
  }

  @Test
  void readsAWeakGitEtagOfASmallFileWhichIsNoSha256() {
    HubFileMetadata metadata =
        HubFileMetadata.fromHeaders(
            RESOLVE,
            headers(
                Map.of(
                    "X-Repo-Commit",
                    "c".repeat(40),
                    "ETag",
                    "W/\"" + "d".repeat(40) + "\"",
                    "Content-Length",
                    "207")),
            "config.json");

    assertThat(metadata.etag()).isEqualTo("d".repeat(40));
    assertThat(metadata.sha256()).isEmpty();
    assertThat(metadata.size()).hasValue(207);
    assertThat(metadata.location()).isEqualTo(RESOLVE);
  }

  @Test
  void refusesAnAnswerWithoutHubHeaders() {
    assertThatThrownBy(
            () ->
                HubFileMetadata.fromHeaders(
                    RESOLVE, headers(Map.of("ETag", "\"x\"")), "config.json"))
        .isInstanceOf(HubException.class)
        .hasMessageContaining("X-Repo-Commit")
        .hasMessageContaining("config.json");
  }
}
