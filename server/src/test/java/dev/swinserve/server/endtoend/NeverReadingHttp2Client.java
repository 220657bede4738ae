package dev.swinserve.server.endtoend;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A raw HTTP/2 client that opens one ClassifyStream with a flow-control window of zero and never
 * opens it: the server can send it headers, trailers and resets, but not one byte of response data.
 * It answers the server's SETTINGS and PINGs, as any live client does.
 */
final class NeverReadingHttp2Client implements AutoCloseable {

  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int ACK = 0x1;
  private static final int STREAM = 1;

  /** How the stream ended, as the client saw it. */
  record End(String frame, long errorCode) {}

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  NeverReadingHttp2Client(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    // SETTINGS_ENABLE_PUSH = 0, SETTINGS_INITIAL_WINDOW_SIZE = 0
    frame(SETTINGS, 0, 0, new byte[] {0, 2, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0});
  }

  /** Opens the stream and sends {@code requests} on it (keep them under 60 KB together). */
  void send(String authority, List<ClassifyRequest> requests) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    header(headers, ":method", "POST");
    header(headers, ":scheme", "http");
    header(headers, ":path", "/" + ClassifierGrpc.getClassifyStreamMethod().getFullMethodName());
    header(headers, ":authority", authority);
    header(headers, "content-type", "application/grpc");
    header(headers, "te", "trailers");
    frame(HEADERS, END_HEADERS, STREAM, headers.toByteArray());
    for (ClassifyRequest request : requests) {
      byte[] message = request.toByteArray();
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      DataOutputStream grpcFrame = new DataOutputStream(data);
      grpcFrame.writeByte(0);
      grpcFrame.writeInt(message.length);
      grpcFrame.write(message);
      frame(DATA, 0, STREAM, data.toByteArray());
    }
    out.flush();
  }

  /**
   * Reads frames until the stream ends (trailers or RST_STREAM) or {@code timeoutMillis} pass with
   * nothing from the server; returns null then.
   */
  End awaitEnd(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      while (true) {
        int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & ACK) == 0) {
          frame(SETTINGS, ACK, 0, new byte[0]);
        } else if (type == PING && (flags & ACK) == 0) {
          frame(PING, ACK, 0, payload);
        } else if (type == GOAWAY) {
          return new End("GOAWAY", errorCode(payload, 4));
        } else if (stream == STREAM && type == RST_STREAM) {
          return new End("RST_STREAM", errorCode(payload, 0));
        } else if (stream == STREAM && type == HEADERS && (flags & END_STREAM) != 0) {
          return new End("trailers", 0);
        } else if (stream == STREAM && type == DATA) {
          throw new IllegalStateException("the server sent data into a window of zero");
        }
        out.flush();
      }
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static long errorCode(byte[] payload, int offset) {
    long code = 0;
    for (int i = offset; i < offset + 4; i++) {
      code = (code << 8) | (payload[i] & 0xff);
    }
    return code;
  }

  /** HPACK: a literal header field without indexing, new name, no Huffman coding. */
  private static void header(ByteArrayOutputStream block, String name, String value) {
    block.write(0);
    literal(block, name);
    literal(block, value);
  }

  private static void literal(ByteArrayOutputStream block, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 127) {
      throw new IllegalArgumentException("header too long for this client: " + text);
    }
    block.write(bytes.length);
    block.writeBytes(bytes);
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    out.writeShort(payload.length >>> 8);
    out.writeByte(payload.length & 0xff);
    out.writeByte(type);
    out.writeByte(flags);
    out.writeInt(stream);
    out.write(payload);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
