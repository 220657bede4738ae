package dev.swinserve.format.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a model's input is made from an image: resize straight to {@code height}×{@code width} with
 * the PIL filter {@code resample} (no crop, aspect ratio not kept), round to 8 bits, then multiply
 * by {@code rescaleFactor} if {@code doRescale} and compute {@code (x - mean) / std} per RGB
 * channel if {@code doNormalize}.
 *
 * <p>Immutable and thread-safe: the arrays are copied in and out. Validated on construction, so an
 * instance always describes something {@code ImagePreprocessor} can do.
 *
 * @param height the model's input height in pixels, positive
 * @param width the model's input width in pixels, positive
 * @param resample PIL's resampling code: {@link #BILINEAR} or {@link #BICUBIC} (SwinV2 uses
 *     bicubic)
 * @param doRescale whether pixel values 0..255 are multiplied by {@code rescaleFactor}
 * @param rescaleFactor the multiplier, positive and finite (usually 1/255)
 * @param doNormalize whether {@code (x - mean) / std} is applied after rescaling
 * @param mean per-channel mean, 3 finite values in R, G, B order
 * @param std per-channel standard deviation, 3 positive finite values in R, G, B order
 */
public record PreprocessingSettings(
    int height,
    int width,
    int resample,
    boolean doRescale,
    double rescaleFactor,
    boolean doNormalize,
    float[] mean,
    float[] std) {

  /** PIL's {@code Image.BILINEAR}: antialiased triangle filter. */
  public static final int BILINEAR = 2;

  /** PIL's {@code Image.BICUBIC}: antialiased Keys cubic filter (a = -0.5). */
  public static final int BICUBIC = 3;

  /** The Hugging Face default rescale factor, 1/255. */
  public static final double DEFAULT_RESCALE_FACTOR = 1.0 / 255.0;

  /** Where the settings travel inside an exported model directory. */
  public static final String ASSET_PATH = "assets/preprocessing.json";

  public PreprocessingSettings {
    require(height > 0 && width > 0, "image size must be positive, got " + height + "x" + width);
    require(
        resample == BILINEAR || resample == BICUBIC,
        "resample "
            + resample
            + " ("
            + resampleName(resample)
            + ") is not supported; supported are 2 (bilinear) and 3 (bicubic)");
    require(
        rescaleFactor > 0 && Double.isFinite(rescaleFactor),
        "rescale factor must be positive and finite, got " + rescaleFactor);
    require(mean != null && mean.length == 3, "mean must hold 3 values (R, G, B)");
    require(std != null && std.length == 3, "std must hold 3 values (R, G, B)");
    mean = mean.clone();
    std = std.clone();
    for (int channel = 0; channel < 3; channel++) {
      require(Float.isFinite(mean[channel]), "mean must be finite, got " + Arrays.toString(mean));
      require(
          std[channel] > 0 && Float.isFinite(std[channel]),
          "std must be positive and finite, got " + Arrays.toString(std));
    }
  }

  /**
   * Reads a Hugging Face {@code preprocessor_config.json}, legacy ({@code "size": 256}, {@code
   * feature_extractor_type}) or newer ({@code "size": {"height": .., "width": ..}}, {@code
   * do_rescale}, {@code rescale_factor}, {@code image_processor_type}).
   *
   * <p>{@code do_rescale}, {@code rescale_factor} and {@code do_normalize} default to Hugging
   * Face's true, 1/255 and true. {@code size}, {@code resample}, and (when normalising) {@code
   * image_mean} and {@code image_std} are required: their defaults differ between processor
   * classes, and a wrong guess would silently change what the model sees.
   *
   * @throws IllegalArgumentException naming the key that is missing, invalid or unsupported
   */
  public static PreprocessingSettings fromPreprocessorConfig(JsonNode config) {
    return PreprocessorConfigReader.read(config);
  }

  /**
   * Parses the project's own asset file ({@link #ASSET_PATH}); every key is required.
   *
   * @throws IllegalArgumentException naming the key that is missing or invalid
   */
  public static PreprocessingSettings fromJson(String json) {
    return PreprocessingAssetJson.parse(json);
  }

  /** The asset file's JSON: snake_case keys, as {@link #fromJson} reads them. */
  public String toJson() {
    return PreprocessingAssetJson.format(this);
  }

  /** Reads the asset file at {@code file}. */
  public static PreprocessingSettings read(Path file) throws IOException {
    return PreprocessingAssetJson.read(file);
  }

  /** Writes the asset file to {@code file}, replacing it. */
  public void write(Path file) throws IOException {
    PreprocessingAssetJson.write(this, file);
  }

  /** Per-channel mean, a copy. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** Per-channel standard deviation, a copy. */
  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PreprocessingSettings settings
        && height == settings.height
        && width == settings.width
        && resample == settings.resample
        && doRescale == settings.doRescale
        && Double.compare(rescaleFactor, settings.rescaleFactor) == 0
        && doNormalize == settings.doNormalize
        && Arrays.equals(mean, settings.mean)
        && Arrays.equals(std, settings.std);
  }

  @Override
  public int hashCode() {
    int hash =
        java.util.Objects.hash(height, width, resample, doRescale, rescaleFactor, doNormalize);
    return 31 * (31 * hash + Arrays.hashCode(mean)) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "PreprocessingSettings["
        + height
        + "x"
        + width
        + ", "
        + resampleName(resample)
        + (doRescale ? ", rescale " + rescaleFactor : ", no rescale")
        + (doNormalize
            ? ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)
            : ", no normalize")
        + "]";
  }

  /** PIL's name for a resampling code, for messages. */
  static String resampleName(int resample) {
    return switch (resample) {
      case 0 -> "nearest";
      case 1 -> "lanczos";
      case BILINEAR -> "bilinear";
      case BICUBIC -> "bicubic";
      case 4 -> "box";
      case 5 -> "hamming";
      default -> "unknown";
    };
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
