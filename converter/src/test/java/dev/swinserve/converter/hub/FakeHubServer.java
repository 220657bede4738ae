package dev.swinserve.converter.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hugging Face hub on loopback for tests, in the real hub's URL layout {@code
 * /{repository}/resolve/{revision}/{file}} (revision %-escaped), with its headers: {@code
 * X-Repo-Commit}, {@code ETag}, and for LFS files ({@code *.safetensors}, {@code *.bin}) a 302 to a
 * separate "CDN" server (another port, so another host as far as tokens go) carrying {@code
 * X-Linked-Etag} (sha256) and {@code X-Linked-Size}. Errors carry {@code X-Error-Code} ({@code
 * RepoNotFound}, {@code RevisionNotFound}, {@code EntryNotFound}, {@code GatedRepo}). Content
 * answers honor {@code Range: bytes=N-}.
 *
 * <p>Scriptable: drop the connection part-way, fail with a status, serve corrupted bytes, require a
 * token; every request is recorded. Thread-safe; close it to free the ports.
 */
public final class FakeHubServer implements AutoCloseable {

  /** One request as received; {@code server} is "hub" or "cdn", {@code rawPath} still %-escaped. */
  public record Request(
      String server,
      String method,
      String rawPath,
      Optional<String> range,
      Optional<String> authorization) {

    /** The file the request was for: the path's last segment. */
    public String file() {
      return URLDecoder.decode(
          rawPath.substring(rawPath.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }
  }

  private record Snapshot(String commit, Map<String, byte[]> files) {}

  private record Failure(String method, int status, AtomicInteger remaining) {}

  private final HttpServer hub;
  private final HttpServer cdn;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Map<String, Snapshot>> repositories = new ConcurrentHashMap<>();
  private final Map<String, byte[]> lfsBySha256 = new ConcurrentHashMap<>();
  private final Map<String, Long> dropAfterBytes = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String requiredToken;

  private FakeHubServer() throws IOException {
    hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hub.createContext("/", exchange -> handle("hub", exchange));
    cdn.createContext("/", exchange -> handle("cdn", exchange));
    hub.setExecutor(executor);
    cdn.setExecutor(executor);
  }

  /** Starts both servers on free loopback ports. */
  public static FakeHubServer start() throws IOException {
    FakeHubServer server = new FakeHubServer();
    server.hub.start();
    server.cdn.start();
    return server;
  }

  /** The hub's base address, for {@code HF_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
  }

  /** Makes {@code revision} of {@code repository} point at {@code commit} and hold {@code file}. */
  public FakeHubServer publish(
      String repository, String revision, String commit, String file, byte[] content) {
    repositories
        .computeIfAbsent(repository, name -> new ConcurrentHashMap<>())
        .compute(
            revision,
            (name, old) -> {
              Map<String, byte[]> files =
                  new ConcurrentHashMap<>(old == null ? Map.of() : old.files());
              files.put(file, content.clone());
              return new Snapshot(commit, files);
            });
    if (isLfs(file)) {
      lfsBySha256.put(sha256(content), content.clone());
    }
    return this;
  }

  /** Publishes {@code files} read from the checkpoint folder {@code folder}. */
  public FakeHubServer publishFolder(
      String repository, String revision, String commit, Path folder, String... files) {
    for (String file : files) {
      try {
        publish(repository, revision, commit, file, Files.readAllBytes(folder.resolve(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** From now on, hub requests without {@code Authorization: Bearer token} get 401 GatedRepo. */
  public void requireToken(String token) {
    requiredToken = token;
  }

  /**
   * The first GET of {@code file}'s content sends {@code bytes} bytes, then drops the connection.
   */
  public void dropConnectionOnFirstGet(String file, long bytes) {
    dropAfterBytes.put(file, bytes);
  }

  /**
   * The next {@code times} {@code method} requests for {@code file} are answered with {@code
   * status}.
   */
  public void fail(String method, String file, int times, int status) {
    failures.put(file, new Failure(method, status, new AtomicInteger(times)));
  }

  /**
   * {@code file}'s content is served with one byte changed; sizes and hashes in headers stay right.
   */
  public void serveCorrupted(String file) {
    corrupted.add(file);
  }

  /** Every request so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many {@code method} requests for {@code file} either server received. */
  public long count(String method, String file) {
    return requests.stream()
        .filter(request -> request.method().equals(method) && request.file().equals(file))
        .count();
  }

  /** Stops both servers; later calls do nothing. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    hub.stop(0);
    cdn.stop(0);
    executor.shutdownNow();
  }

  private void handle(String server, HttpExchange exchange) throws IOException {
    try (exchange) {
      String rawPath = exchange.getRequestURI().getRawPath();
      Request request =
          new Request(
              server,
              exchange.getRequestMethod(),
              rawPath,
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range")),
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")));
      requests.add(request);
      if (server.equals("cdn")) {
        serveCdn(exchange, request);
      } else {
        serveHub(exchange, request);
      }
    }
  }

  private void serveHub(HttpExchange exchange, Request request) throws IOException {
    String path = request.rawPath();
    int resolve = path.indexOf("/resolve/");
    if (resolve < 0) {
      error(exchange, 404, "RepoNotFound", "Repository not found");
      return;
    }
    String repository = path.substring(1, resolve);
    String rest = path.substring(resolve + "/resolve/".length());
    String revision =
        URLDecoder.decode(rest.substring(0, rest.indexOf('/')), StandardCharsets.UTF_8);
    String file = request.file();
    if (requiredToken != null
        && !request.authorization().equals(Optional.of("Bearer " + requiredToken))) {
      error(exchange, 401, "GatedRepo", "Access to model " + repository + " is restricted");
      return;
    }
    Map<String, Snapshot> revisions = repositories.get(repository);
    if (revisions == null) {
      error(exchange, 404, "RepoNotFound", "Repository not found");
      return;
    }
    Snapshot snapshot = revisions.get(revision);
    if (snapshot == null) {
      snapshot =
          revisions.values().stream()
              .filter(candidate -> candidate.commit().equals(revision))
              .findFirst()
              .orElse(null);
    }
    if (snapshot == null) {
      error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
      return;
    }
    byte[] content = snapshot.files().get(file);
    if (content == null) {
      error(exchange, 404, "EntryNotFound", file + " does not exist on \"" + revision + "\"");
      return;
    }
    exchange.getResponseHeaders().set("X-Repo-Commit", snapshot.commit());
    if (isLfs(file)) {
      String sha256 = sha256(content);
      exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256 + "\"");
      exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(content.length));
      exchange.getResponseHeaders().set("ETag", "\"" + sha256 + "\"");
      exchange
          .getResponseHeaders()
          .set(
              "Location",
              "http://127.0.0.1:"
                  + cdn.getAddress().getPort()
                  + "/cdn/"
                  + sha256
                  + "/"
                  + HubUrls.encode(file, true));
      // The redirect's own length: the client must take the size from X-Linked-Size instead.
      sendHeaders(exchange, 302, 0);
      return;
    }
    exchange.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(content) + "\"");
    serveContent(exchange, request, file, content);
  }

  private void serveCdn(HttpExchange exchange, Request request) throws IOException {
    String[] segments = request.rawPath().split("/");
    byte[] content = segments.length == 4 ? lfsBySha256.get(segments[2]) : null;
    if (content == null) {
      error(exchange, 404, "", "no such object");
      return;
    }
    serveContent(exchange, request, request.file(), content);
  }

  private void serveContent(HttpExchange exchange, Request request, String file, byte[] content)
      throws IOException {
    Failure failure = failures.get(file);
    if (failure != null
        && failure.method().equals(request.method())
        && failure.remaining().getAndDecrement() > 0) {
      error(exchange, failure.status(), "", "scripted failure");
      return;
    }
    byte[] body = corrupted.contains(file) ? corrupt(content) : content;
    int start = request.range().map(FakeHubServer::rangeStart).orElse(0);
    if (start >= body.length && request.range().isPresent()) {
      exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
      sendHeaders(exchange, 416, 0);
      return;
    }
    int status = 200;
    if (request.range().isPresent()) {
      status = 206;
      exchange
          .getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
    }
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    sendHeaders(exchange, status, body.length - start);
    if (request.method().equals("HEAD")) {
      return;
    }
    Long dropAfter = dropAfterBytes.remove(file);
    int end = dropAfter == null ? body.length : (int) Math.min(body.length, start + dropAfter);
    OutputStream out = exchange.getResponseBody();
    out.write(body, start, end - start);
    out.flush();
    // Closing before the announced length is sent makes the server drop the connection.
  }

  private static void sendHeaders(HttpExchange exchange, int status, long length)
      throws IOException {
    if (exchange.getRequestMethod().equals("HEAD") || length == 0) {
      // HttpServer will not send Content-Length for HEAD itself; the hub does.
      exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, length);
    }
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    if (!code.isEmpty()) {
      exchange.getResponseHeaders().set("X-Error-Code", code);
    }
    exchange.getResponseHeaders().set("X-Error-Message", message);
    sendHeaders(exchange, status, 0);
  }

  private static int rangeStart(String range) {
    String value = range.trim();
    if (!value.startsWith("bytes=") || !value.endsWith("-")) {
      throw new IllegalArgumentException("the fake hub only serves open ranges, got " + range);
    }
    return Integer.parseInt(value.substring("bytes=".length(), value.length() - 1));
  }

  private static boolean isLfs(String file) {
    return file.endsWith(".safetensors") || file.endsWith(".bin");
  }

  /**
   * What {@link #serveCorrupted} serves instead of {@code content}: one byte in the middle flipped.
   */
  public static byte[] corrupt(byte[] content) {
    byte[] changed = content.clone();
    changed[changed.length / 2] ^= 0x5A;
    return changed;
  }

  /** The hex sha256 of {@code content}, as the hub announces for LFS files. */
  public static String sha256(byte[] content) {
    return hex("SHA-256", content);
  }

  /** Git's blob id, which the hub sends as the ETag of small files. */
  private static String gitBlobSha1(byte[] content) {
    byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] object = new byte[header.length + content.length];
    System.arraycopy(header, 0, object, 0, header.length);
    System.arraycopy(content, 0, object, header.length, content.length);
    return hex("SHA-1", object);
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
