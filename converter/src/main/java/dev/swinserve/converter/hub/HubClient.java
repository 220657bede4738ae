package dev.swinserve.converter.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Objects;

/**
 * The hub's two HTTP calls: a HEAD for a file's metadata and a (possibly ranged) GET for its
 * content. HEAD does not follow redirects, because the redirect of an LFS file carries its real
 * size and sha256 (as in huggingface_hub); GET does, since CDNs may redirect again. The token goes
 * to the hub only, never to another host such as the CDN, whose pre-signed addresses need no token.
 *
 * <p>Thread-safe: immutable around thread-safe {@link HttpClient}s.
 */
final class HubClient {

  /** Relative redirects come from renamed repositories; a handful is plenty. */
  private static final int MAX_RELATIVE_REDIRECTS = 5;

  private final HubConfig config;
  private final HttpClient metadataClient;
  private final HttpClient downloadClient;

  HubClient(HubConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.metadataClient =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.downloadClient =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * HEADs {@code file} at {@code revision}; throws a {@link HubException} of kind {@link
   * HubException.Kind#UNREACHABLE} when no answer came, or the kind the hub's error says.
   */
  HubFileMetadata metadata(RemoteFile file) throws InterruptedException {
    URI url = HubUrls.resolve(config.endpoint(), file.repository(), file.revision(), file.name());
    for (int redirects = 0; ; redirects++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(url)
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .timeout(config.requestTimeout())
              // Compressed answers would announce the compressed length instead of the file's size.
              .header("Accept-Encoding", "identity");
      authorize(request, url);
      HttpResponse<Void> response;
      try {
        response = metadataClient.send(request.build(), HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        throw unreachable(e);
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400) {
        URI target = response.headers().firstValue("Location").map(URI::create).orElse(null);
        if (target != null && target.getHost() == null && redirects < MAX_RELATIVE_REDIRECTS) {
          url = url.resolve(target);
          continue;
        }
      } else if (status >= 400) {
        throw error(status, response.headers(), file);
      }
      return HubFileMetadata.fromHeaders(url, response.headers(), file.name());
    }
  }

  /**
   * GETs {@code location} from byte {@code offset} on ({@code Range: bytes=offset-} when positive).
   * The caller reads and closes the body and judges the status; the token is sent only when {@code
   * location} is on the hub's own host.
   */
  HttpResponse<InputStream> open(URI location, long offset)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(location)
            .GET()
            .timeout(config.requestTimeout())
            .header("Accept-Encoding", "identity");
    if (offset > 0) {
      request.header("Range", "bytes=" + offset + "-");
    }
    authorize(request, location);
    return downloadClient.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * Turns an error answer into the matching {@link HubException}, as huggingface_hub classifies
   * them.
   */
  HubException error(int status, HttpHeaders headers, RemoteFile file) {
    String repository = file.repository();
    String revision = file.revision();
    String code = headers.firstValue("X-Error-Code").orElse("");
    String detail =
        headers.firstValue("X-Error-Message").map(message -> " (" + message + ")").orElse("");
    String tokenAdvice =
        config.token().isPresent()
            ? "check that the token in HF_TOKEN has access to it"
            : "set HF_TOKEN to an access token that has access to it";
    if (code.equals("RepoNotFound") || (status == 401 && code.isEmpty())) {
      return new HubException(
          HubException.Kind.REPOSITORY_NOT_FOUND,
          "repository '"
              + repository
              + "' not found at "
              + config.endpoint()
              + " (HTTP "
              + status
              + ")"
              + detail
              + "; if it is private or gated, "
              + tokenAdvice);
    }
    if (code.equals("GatedRepo") || status == 401 || status == 403) {
      return new HubException(
          HubException.Kind.ACCESS_DENIED,
          "access to '"
              + repository
              + "' denied (HTTP "
              + status
              + ")"
              + detail
              + ": the repository is gated or private; "
              + tokenAdvice);
    }
    if (code.equals("RevisionNotFound")) {
      return new HubException(
          HubException.Kind.REVISION_NOT_FOUND,
          "revision '"
              + revision
              + "' not found in repository '"
              + repository
              + "' at "
              + config.endpoint()
              + detail);
    }
    if (code.equals("EntryNotFound") || status == 404) {
      return new HubException(HubException.Kind.ENTRY_NOT_FOUND, file + " not found" + detail);
    }
    return new HubException(
        HubException.Kind.OTHER,
        "HTTP " + status + " from " + config.endpoint() + " for " + file + detail);
  }

  /** A failure to get any answer, worded for a user: which endpoint, and what went wrong. */
  HubException unreachable(IOException cause) {
    return new HubException(
        HubException.Kind.UNREACHABLE,
        "Hugging Face hub unreachable at " + config.endpoint() + " (" + describe(cause) + ")",
        cause);
  }

  private String describe(IOException cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return "no connection within " + config.connectTimeout().toMillis() + " ms";
    }
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + config.requestTimeout().toMillis() + " ms";
    }
    if (cause instanceof ConnectException) {
      if (cause.getCause() instanceof UnresolvedAddressException) {
        return "unknown host " + config.endpoint().getHost();
      }
      // The JDK client leaves the message empty for a refused connection.
      return cause.getMessage() == null ? "connection refused" : cause.getMessage();
    }
    return cause.toString();
  }

  private void authorize(HttpRequest.Builder request, URI target) {
    URI endpoint = config.endpoint();
    boolean sameHost =
        Objects.equals(endpoint.getScheme(), target.getScheme())
            && Objects.equals(endpoint.getRawAuthority(), target.getRawAuthority());
    if (sameHost) {
      config.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
    }
  }
}
