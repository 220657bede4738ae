package dev.swinserve.server.config;

import dev.swinserve.config.Range;

/**
 * What one request may ask of the server. A request over a limit can never succeed, so it is
 * refused with INVALID_ARGUMENT naming the limit (not RESOURCE_EXHAUSTED, which clients retry).
 * Immutable.
 *
 * @param maxImagesPerRequest images in one Classify request (or one ClassifyStream message)
 * @param maxRequestMegapixels decoded pixels of all the encoded images of one request, in millions,
 *     as their headers announce them; bounds the decoding time one request can cost
 */
public record LimitsConfig(int maxImagesPerRequest, int maxRequestMegapixels) {

  public static final Range MAX_IMAGES_PER_REQUEST = new Range("max_images_per_request", 1, 4096);
  public static final Range MAX_REQUEST_MEGAPIXELS = new Range("max_request_megapixels", 1, 10_000);

  public LimitsConfig {
    MAX_IMAGES_PER_REQUEST.check(maxImagesPerRequest);
    MAX_REQUEST_MEGAPIXELS.check(maxRequestMegapixels);
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
