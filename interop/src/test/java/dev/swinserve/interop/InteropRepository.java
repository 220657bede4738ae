package dev.swinserve.interop;

import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.format.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The repository the clients call: fixture {@value #CHECKPOINT} converted by the real converter as
 * model {@value #MODEL} in versions 1 and 2 (both served, {@code stable} on 1, so the default is
 * not simply the newest), and endpoint {@value #ENDPOINT} splitting requests evenly between the two
 * versions (A/B), so that endpoint names go through the router.
 */
final class InteropRepository {

  static final String CHECKPOINT = "swinv2-mini-window4";
  static final String MODEL = "mini";
  static final String ENDPOINT = "mini-ab";
  static final List<String> VERSIONS = List.of("1", "2");
  static final Map<String, String> LABELS = Map.of("stable", "1");
  static final String DEFAULT_VERSION = "1";

  private InteropRepository() {}

  /** Writes the repository into the empty or missing folder {@code root}. */
  static Path write(Path root) throws IOException {
    ModelRepositoryWriter.write(
        root,
        MODEL,
        OptionalLong.of(1),
        ModelSources.fromCheckpoint(Fixtures.checkpoint(CHECKPOINT), "fixture:" + CHECKPOINT));
    ModelRepositoryWriter.copyVersion(root, MODEL, 1, 2);
    Files.writeString(
        root.resolve(MODEL).resolve("model.yaml"),
        "version_policy: {latest: 2}\nlabels: {stable: 1}\n");
    Files.writeString(
        root.resolve("endpoints.yaml"),
        "endpoints:\n"
            + "  "
            + ENDPOINT
            + ":\n"
            + "    arms: [{model: "
            + MODEL
            + ", version: 1, weight: 50}, {model: "
            + MODEL
            + ", version: 2, weight: 50}]\n");
    return root;
  }
}
