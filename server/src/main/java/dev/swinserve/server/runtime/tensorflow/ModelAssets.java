package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.server.runtime.InvalidModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a model version's {@code assets/} folder that the server needs ({@link
 * ModelVersionLayout}): class names, how images are preprocessed, and the model's description.
 * Plain data, read before any TensorFlow resource is opened so that a bad asset costs nothing to
 * reject.
 */
record ModelAssets(
    List<String> labels, PreprocessingSettings preprocessing, ModelMetadata metadata) {

  ModelAssets {
    labels = List.copyOf(labels);
  }

  /**
   * @throws InvalidModelException naming the asset that is missing or malformed
   */
  static ModelAssets read(Path versionDirectory) {
    return new ModelAssets(
        readLabels(versionDirectory.resolve(ModelVersionLayout.LABELS_ASSET)),
        readPreprocessing(versionDirectory.resolve(ModelVersionLayout.PREPROCESSING_ASSET)),
        readMetadata(versionDirectory.resolve(ModelVersionLayout.METADATA_ASSET)));
  }

  private static List<String> readLabels(Path file) {
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InvalidModelException(
          file
              + ": missing; a model version needs its class names there,"
              + " one per line in logit order",
          e);
    } catch (IOException e) {
      throw new InvalidModelException(file + ": cannot read labels: " + e, e);
    }
    // Editors often leave blank lines at the end; they are not classes.
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new InvalidModelException(file + ": holds no labels; expected one class name per line");
    }
    for (int line = 0; line < lines.size(); line++) {
      if (lines.get(line).isBlank()) {
        throw new InvalidModelException(
            file + ": line " + (line + 1) + " is blank; every class needs a name");
      }
    }
    return lines;
  }

  private static PreprocessingSettings readPreprocessing(Path file) {
    try {
      return PreprocessingSettings.read(file);
    } catch (NoSuchFileException e) {
      throw new InvalidModelException(
          file + ": missing; a model version needs its image preprocessing" + " settings there", e);
    } catch (IOException | RuntimeException e) {
      throw new InvalidModelException(
          file + ": invalid preprocessing settings: " + e.getMessage(), e);
    }
  }

  private static ModelMetadata readMetadata(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidModelException(
          file + ": missing; a model version needs its description there");
    }
    try {
      return ModelMetadata.read(file);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      // ModelMetadata's message already names the file.
      throw new InvalidModelException(e.getMessage(), e);
    }
  }
}
