package dev.swinserve.converter.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to download from a Hugging Face hub: the endpoint, the access token, the local
 * cache folder, timeouts and the retry budget for a dropped download. Immutable; change one setting
 * with the {@code with*} methods.
 *
 * @param endpoint hub base address, without a trailing slash, e.g. {@code https://huggingface.co}
 * @param token access token sent as {@code Authorization: Bearer ...}, for gated and private
 *     repositories
 * @param cacheDirectory folder holding downloaded repositories ({@code .../swinserve/hub})
 * @param connectTimeout how long to wait for a TCP (and TLS) connection; short values detect an
 *     offline machine promptly
 * @param requestTimeout how long to wait for a response's headers once connected
 * @param maxAttempts how many times one file's download is tried in all (resuming each time) before
 *     giving up; at least 1
 * @param initialBackoff wait before the second attempt; doubled for every further attempt
 */
public record HubConfig(
    URI endpoint,
    Optional<String> token,
    Path cacheDirectory,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff) {

  /** The public hub, used unless {@code HF_ENDPOINT} says otherwise. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  public HubConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    endpoint = withoutTrailingSlash(endpoint);
    token = token.filter(value -> !value.isBlank());
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must not be negative");
    }
  }

  /**
   * Reads {@code HF_ENDPOINT}, {@code HF_TOKEN} and {@code SWINSERVE_CACHE} from {@code
   * environment} (pass {@code System.getenv()} in production); the cache defaults to {@code
   * <userHome>/.cache/swinserve/hub}, otherwise {@code $SWINSERVE_CACHE/hub}. Other settings take
   * their defaults.
   */
  public static HubConfig fromEnvironment(Map<String, String> environment, Path userHome) {
    URI endpoint =
        nonBlank(environment.get("HF_ENDPOINT")).map(URI::create).orElse(DEFAULT_ENDPOINT);
    Optional<String> token = nonBlank(environment.get("HF_TOKEN"));
    Path swinserveCache =
        nonBlank(environment.get("SWINSERVE_CACHE"))
            .map(Path::of)
            .orElse(userHome.resolve(".cache").resolve("swinserve"));
    return new HubConfig(
        endpoint,
        token,
        swinserveCache.resolve("hub"),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_INITIAL_BACKOFF);
  }

  public HubConfig withEndpoint(URI newEndpoint) {
    return new HubConfig(
        newEndpoint,
        token,
        cacheDirectory,
        connectTimeout,
        requestTimeout,
        maxAttempts,
        initialBackoff);
  }

  public HubConfig withToken(Optional<String> newToken) {
    return new HubConfig(
        endpoint,
        newToken,
        cacheDirectory,
        connectTimeout,
        requestTimeout,
        maxAttempts,
        initialBackoff);
  }

  public HubConfig withCacheDirectory(Path newCacheDirectory) {
    return new HubConfig(
        endpoint,
        token,
        newCacheDirectory,
        connectTimeout,
        requestTimeout,
        maxAttempts,
        initialBackoff);
  }

  public HubConfig withConnectTimeout(Duration newConnectTimeout) {
    return new HubConfig(
        endpoint,
        token,
        cacheDirectory,
        newConnectTimeout,
        requestTimeout,
        maxAttempts,
        initialBackoff);
  }

  public HubConfig withRequestTimeout(Duration newRequestTimeout) {
    return new HubConfig(
        endpoint,
        token,
        cacheDirectory,
        connectTimeout,
        newRequestTimeout,
        maxAttempts,
        initialBackoff);
  }

  public HubConfig withRetries(int newMaxAttempts, Duration newInitialBackoff) {
    return new HubConfig(
        endpoint,
        token,
        cacheDirectory,
        connectTimeout,
        requestTimeout,
        newMaxAttempts,
        newInitialBackoff);
  }

  /** Never prints the token itself, so a config can be logged. */
  @Override
  public String toString() {
    return "HubConfig[endpoint="
        + endpoint
        + ", token="
        + (token.isPresent() ? "<set>" : "<none>")
        + ", cacheDirectory="
        + cacheDirectory
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + "]";
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(text -> !text.isEmpty());
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }
}
