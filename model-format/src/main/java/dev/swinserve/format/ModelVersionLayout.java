package dev.swinserve.format;

import dev.swinserve.format.metadata.ModelMetadata;
import dev.swinserve.format.metadata.PreprocessingSettings;

/**
 * The contract of a model version directory, {@code <repository>/<model>/<version>/}: what the
 * converter writes and the server reads, defined once for both (as TensorFlow Serving's exporter
 * and model server share {@code signature_constants.h}). A version is a TensorFlow SavedModel with
 * the tag {@link #TAG}, whose signature {@link #SIGNATURE} takes {@link #INPUT}, float32 {@code
 * [batch, height, width, 3]} (NHWC, preprocessed), and returns {@link #LOGITS} (and {@link
 * #PROBABILITIES}), float32 {@code [batch, classes]}; beside it, three assets. Paths are relative
 * to the version directory, with '/' as separator ({@code Path.resolve} accepts them).
 *
 * <p>The model's own {@code model.yaml}, beside its versions rather than inside one, is not part of
 * this contract: the model registry reads it and defines its name, and the registry must not depend
 * on this module, which carries TensorFlow.
 */
public final class ModelVersionLayout {

  /** The SavedModel's graph, as TensorFlow names it. */
  public static final String SAVED_MODEL_FILE = "saved_model.pb";

  /** The tag of the SavedModel's one meta graph. */
  public static final String TAG = "serve";

  /** The signature the server calls. */
  public static final String SIGNATURE = "serving_default";

  /** The signature's one input: preprocessed pixels, float32 {@code [batch, height, width, 3]}. */
  public static final String INPUT = "pixel_values";

  /** The output the server fetches: float32 {@code [batch, classes]}, one row per image. */
  public static final String LOGITS = "logits";

  /**
   * The softmax of {@link #LOGITS}, exported for other clients of the SavedModel; the server does
   * not fetch it.
   */
  public static final String PROBABILITIES = "probabilities";

  /** The folder of the files below. */
  public static final String ASSETS_DIRECTORY = "assets";

  /** Class names, UTF-8, one per line in logit order. */
  public static final String LABELS_ASSET = ASSETS_DIRECTORY + "/labels.txt";

  /** How images are preprocessed; its format is {@link PreprocessingSettings}'s. */
  public static final String PREPROCESSING_ASSET = PreprocessingSettings.ASSET_PATH;

  /** What the model says about itself; its format is {@link ModelMetadata}'s. */
  public static final String METADATA_ASSET = ASSETS_DIRECTORY + "/" + ModelMetadata.FILE_NAME;

  private ModelVersionLayout() {}
}
