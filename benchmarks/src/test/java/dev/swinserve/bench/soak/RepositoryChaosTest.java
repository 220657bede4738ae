package dev.swinserve.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.bench.harness.Workspace;
import dev.swinserve.server.routing.Endpoint;
import dev.swinserve.server.routing.EndpointsFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryChaosTest {

  @TempDir Path directory;

  private Path root;
  private Path template;
  private RepositoryChaos chaos;
  private final SplittableRandom random = new SplittableRandom(9);

  @BeforeEach
  void repositoryAsTheSoakBuildsIt() throws IOException {
    template = directory.resolve("template");
    Files.createDirectories(template.resolve("variables"));
    Files.writeString(template.resolve("saved_model.pb"), "a good graph");
    Files.writeString(template.resolve("variables").resolve("variables.index"), "weights");
    root = directory.resolve("repository");
    for (String version : List.of("alpha/1", "alpha/2", "beta/1")) {
      Workspace.copyTree(template, root.resolve(version));
    }
    chaos = new RepositoryChaos(root, template);
  }

  @Test
  void anAddedVersionIsACompleteCopyUnderTheNextNumberWithNoStagingFolderLeft() throws IOException {
    String done = chaos.addVersion(SoakRepository.ALPHA, false, random);

    assertThat(done).isEqualTo("alpha/3 added; on disk [1, 2, 3]");
    assertThat(root.resolve("alpha/3/saved_model.pb")).hasContent("a good graph");
    assertThat(root.resolve("alpha/3/variables/variables.index")).hasContent("weights");
    assertThat(entries(root.resolve(SoakRepository.ALPHA)))
        .containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void aCorruptVersionHasGarbageForItsGraph() throws IOException {
    chaos.addVersion(SoakRepository.BETA, true, random);

    assertThat(Files.readAllBytes(root.resolve("beta/2/saved_model.pb")))
        .isNotEqualTo("a good graph".getBytes())
        .hasSizeGreaterThanOrEqualTo(1024);
    assertThat(root.resolve("beta/2/variables/variables.index")).hasContent("weights");
  }

  @Test
  void theLastGoodVersionStaysButACorruptOneBesideItGoes() throws IOException {
    assertThat(chaos.deleteVersion(SoakRepository.BETA, random)).contains("nothing to delete");
    assertThat(root.resolve("beta/1")).isDirectory();

    chaos.addVersion(SoakRepository.BETA, true, random);
    assertThat(chaos.deleteVersion(SoakRepository.BETA, random))
        .isEqualTo("beta/2 deleted; on disk [1]");
    assertThat(entries(root.resolve(SoakRepository.BETA))).containsExactly("1");
  }

  @Test
  void rewrittenEndpointsParseAsAWeightedSplitWithAFullShadow() throws IOException {
    for (int rewrite = 0; rewrite < 20; rewrite++) {
      String weights = chaos.rewriteEndpoints(random);

      List<Endpoint> endpoints =
          EndpointsFileReader.parse(Files.readString(root.resolve(SoakRepository.ENDPOINTS_FILE)));
      assertThat(endpoints).hasSize(1);
      Endpoint split = endpoints.get(0);
      assertThat(split.name()).isEqualTo(SoakRepository.ENDPOINT);
      assertThat(split.arms())
          .extracting(arm -> arm.model().model())
          .containsExactly("alpha", "beta");
      assertThat(weights)
          .isEqualTo(
              "weights alpha="
                  + split.arms().get(0).weight()
                  + " beta="
                  + split.arms().get(1).weight());
      assertThat(split.arms().get(0).weight() + split.arms().get(1).weight()).isPositive();
      assertThat(split.shadows())
          .singleElement()
          .satisfies(
              shadow -> {
                assertThat(shadow.model().model()).isEqualTo(SoakRepository.GAMMA);
                assertThat(shadow.share()).isEqualTo(1.0);
              });
    }
    assertThat(entries(root)).doesNotContain(".endpoints.yaml.staging");
  }

  private static List<String> entries(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).toList();
    }
  }
}
