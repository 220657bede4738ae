package dev.swinserve.server.kserve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection written and read by hand, for what a client library hides: whether
 * requests share a connection, and what the server answers before a body has been sent.
 */
final class RawConnection implements AutoCloseable {

  record Response(int status, String headers, String body) {}

  private final Socket socket;
  private final InputStream in;

  RawConnection(String base) throws IOException {
    URI uri = URI.create(base);
    socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Writes {@code request} as it is and reads one response (its length from Content-Length). */
  Response exchange(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    String statusLine = line();
    StringBuilder headers = new StringBuilder();
    int length = 0;
    for (String header = line(); !header.isEmpty(); header = line()) {
      headers.append(header).append('\n');
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Response(
        Integer.parseInt(statusLine.split(" ")[1]),
        headers.toString(),
        new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed inside a response");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
