package dev.swinserve.server;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times how long gRPC's marshaller takes to parse a {@link ClassifyRequest} of the default largest
 * size (64 MiB, {@code max_inbound_message_bytes}), the work {@link ClassifierOnTransportThreads}
 * leaves on the Netty event loop that read the message. Not a test (no assertion on time): run it
 * by hand, as BENCHMARKS.md says, and copy the figures into the class comment and BENCHMARKS.md.
 *
 * <p>Prints, per shape, the median of five parses (after two to warm up) in CPU time of the parsing
 * thread, which other load on the machine barely changes, and in wall time, which includes waiting
 * for a core and for the garbage collector, with the slowest wall time and the bytes allocated.
 * Three shapes of the same size: one pixel tensor (packed floats), 64 encoded images of 1 MiB, and
 * the worst case for a parser, millions of 1-byte images (5 bytes of wire each). The stream handed
 * to the marshaller is not {@code KnownLength}, so it takes the streaming path that gRPC takes for
 * every message above 4 MiB.
 */
public final class ClassifyRequestParseTiming {

  private static final int SIZE = 64 << 20;
  private static final int WARM_UP = 2;
  private static final int TIMED = 5;

  private ClassifyRequestParseTiming() {}

  public static void main(String[] arguments) {
    System.out.printf(
        Locale.ROOT,
        "%-16s %6s %8s %8s %8s %10s %10s%n",
        "shape",
        "MiB",
        "cpu ms",
        "wall ms",
        "max ms",
        "cpu MB/s",
        "alloc MB");
    time("pixel tensor", pixelTensor());
    time("64 x 1 MiB JPEG", encodedImages());
    time("1-byte images", tinyImages());
  }

  private static void time(String shape, byte[] wire) {
    for (int i = 0; i < WARM_UP; i++) {
      parse(wire);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] wall = new long[TIMED];
    long[] cpu = new long[TIMED];
    long allocated = 0;
    for (int i = 0; i < TIMED; i++) {
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      parse(wire);
      wall[i] = System.nanoTime() - start;
      cpu[i] = threads.getCurrentThreadCpuTime() - cpuBefore;
      allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    double cpuMillis = cpu[TIMED / 2] / 1e6;
    System.out.printf(
        Locale.ROOT,
        "%-16s %6.1f %8.1f %8.1f %8.1f %10.0f %10.0f%n",
        shape,
        wire.length / 1048576.0,
        cpuMillis,
        wall[TIMED / 2] / 1e6,
        wall[TIMED - 1] / 1e6,
        wire.length / 1e6 / (cpuMillis / 1e3),
        allocated / 1e6);
  }

  private static int parse(byte[] wire) {
    ClassifyRequest request =
        ClassifierGrpc.getClassifyMethod().parseRequest(new ByteArrayInputStream(wire));
    return request.getImagesCount();
  }

  private static byte[] pixelTensor() {
    int values = (SIZE - 64) / Float.BYTES;
    PixelTensor.Builder tensor =
        PixelTensor.newBuilder().setHeight(1).setWidth(values / 3).setChannels(3);
    for (int i = 0; i < values; i++) {
      tensor.addValues(i % 255 / 255f);
    }
    return request().addImages(Image.newBuilder().setPixels(tensor)).build().toByteArray();
  }

  private static byte[] encodedImages() {
    byte[] image = new byte[(1 << 20) - 64];
    Arrays.fill(image, (byte) 0x5a);
    ClassifyRequest.Builder request = request();
    for (int i = 0; i < 64; i++) {
      request.addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(image)));
    }
    return request.build().toByteArray();
  }

  /** Written byte by byte: building millions of Image messages would cost the probe gigabytes. */
  private static byte[] tinyImages() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream(SIZE);
    wire.writeBytes(request().build().toByteArray());
    // images (field 2, length 3) { encoded (field 1, length 1) 'x' }
    byte[] image = {0x12, 0x03, 0x0a, 0x01, 'x'};
    while (wire.size() + image.length <= SIZE) {
      wire.writeBytes(image);
    }
    return wire.toByteArray();
  }

  private static ClassifyRequest.Builder request() {
    return ClassifyRequest.newBuilder()
        .setRequestId("parse-timing")
        .setModel(ModelSpec.newBuilder().setName("swinv2-tiny"));
  }
}
