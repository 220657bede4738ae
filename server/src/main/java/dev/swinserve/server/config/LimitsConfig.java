package dev.swinserve.server.config;

/**
 * What one request may ask of the server. A request over a limit can never succeed, so it is
 * refused with INVALID_ARGUMENT naming the limit (not RESOURCE_EXHAUSTED, which clients retry).
 *
 * @param maxImagesPerRequest images in one Classify request (or one ClassifyStream message)
 * @param maxRequestMegapixels decoded pixels of all the encoded images of one request, in millions,
 *     as their headers announce them; bounds the decoding time one request can cost
 */
public record LimitsConfig(int maxImagesPerRequest, int maxRequestMegapixels) {

  /** The ranges, for config errors. */
  public static final int MAX_IMAGES_PER_REQUEST_LIMIT = 4096;
  public static final int MAX_REQUEST_MEGAPIXELS_LIMIT = 10_000;

  public LimitsConfig {
    if (maxImagesPerRequest < 1 || maxImagesPerRequest > MAX_IMAGES_PER_REQUEST_LIMIT) {
      throw new IllegalArgumentException("'limits.max_images_per_request' must be in 1.."
          + MAX_IMAGES_PER_REQUEST_LIMIT + ", got " + maxImagesPerRequest);
    }
    if (maxRequestMegapixels < 1 || maxRequestMegapixels > MAX_REQUEST_MEGAPIXELS_LIMIT) {
      throw new IllegalArgumentException("'limits.max_request_megapixels' must be in 1.."
          + MAX_REQUEST_MEGAPIXELS_LIMIT + ", got " + maxRequestMegapixels);
    }
  }

  /** 64 images; 200 megapixels (five images at the 40-megapixel per-image cap). */
  public static LimitsConfig defaults() {
    return new LimitsConfig(64, 200);
  }

  /** The pixel budget in pixels. */
  public long maxRequestPixels() {
    return maxRequestMegapixels * 1_000_000L;
  }
}
