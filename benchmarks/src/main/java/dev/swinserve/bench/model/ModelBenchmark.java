package dev.swinserve.bench.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swinserve.converter.ModelSources;
import dev.swinserve.converter.export.ModelExport;
import dev.swinserve.converter.export.ModelRepositoryWriter;
import dev.swinserve.converter.swinv2.SwinV2Config;
import dev.swinserve.converter.swinv2.SwinV2Cost;
import dev.swinserve.format.ModelVersionLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * What {@code swinserve bench-model} measures: images per second of an exported SwinV2 SavedModel
 * called in-process, per batch size, next to the float32 matrix-product ceiling measured in the
 * same run. A benchmark, not a test: it prints a table and writes JSON, and asserts nothing.
 */
public final class ModelBenchmark {

  private final String preset;
  private final Path modelDirectory;
  private final List<Integer> batchSizes;
  private final double seconds;
  private final int intraOpThreads;
  private final int interOpThreads;

  /**
   * @param preset the architecture to build, with seeded demo weights, if {@code modelDirectory} is
   *     null
   * @param modelDirectory a SavedModel version directory to benchmark, or null
   * @param batchSizes the batch sizes, measured in this order
   * @param seconds measured seconds per batch size
   * @param intraOpThreads TensorFlow's intra-op threads; 0 lets TensorFlow choose (one per core)
   * @param interOpThreads TensorFlow's inter-op threads; 0 lets TensorFlow choose
   */
  public ModelBenchmark(
      String preset,
      Path modelDirectory,
      List<Integer> batchSizes,
      double seconds,
      int intraOpThreads,
      int interOpThreads) {
    this.preset = preset;
    this.modelDirectory = modelDirectory;
    this.batchSizes = List.copyOf(batchSizes);
    this.seconds = seconds;
    this.intraOpThreads = intraOpThreads;
    this.interOpThreads = interOpThreads;
  }

  /** Measures, prints a table to standard output and writes the JSON report to {@code output}. */
  public void run(Path output) throws IOException {
    PrintWriter out = new PrintWriter(System.out, true);
    ConfigProto threads =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads)
            .build();
    Path model = modelDirectory != null ? modelDirectory : buildPreset(out);
    SwinV2Config config =
        SwinV2Config.fromHuggingFace(
            dev.swinserve.format.metadata.ModelMetadata.read(
                    model.resolve(ModelVersionLayout.METADATA_ASSET))
                .config());
    double flopsPerImage = SwinV2Cost.gigaFlops(config);

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode report = json.createObjectNode();
    report.put("date", Instant.now().toString());
    report.put("model", model.toString());
    report.put("gflop_per_image", flopsPerImage);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("intra_op_threads", intraOpThreads);
    report.put("inter_op_threads", interOpThreads);

    double ceilingBefore = MatMulCeiling.measure(2048, 10, threads);
    out.printf("matmul ceiling (2048², float32): %.1f GFLOP/s%n", ceilingBefore);
    ArrayNode rows = report.putArray("batches");
    try (SavedModelBundle bundle =
        SavedModelBundle.loader(model.toString())
            .withTags(ModelVersionLayout.TAG)
            .withConfigProto(threads)
            .load()) {
      SessionFunction function = bundle.function(ModelVersionLayout.SIGNATURE);
      for (int batch : batchSizes) {
        double[] latencies = run(function, config.imageSize(), batch);
        double imagesPerSecond = batch * latencies.length / Arrays.stream(latencies).sum();
        ObjectNode row = rows.addObject();
        row.put("batch", batch);
        row.put("calls", latencies.length);
        row.put("images_per_second", imagesPerSecond);
        row.put("p50_ms", percentile(latencies, 0.5) * 1e3);
        row.put("gflops", imagesPerSecond * flopsPerImage);
      }
    }
    double ceilingAfter = MatMulCeiling.measure(2048, 10, threads);
    double ceiling = Math.max(ceilingBefore, ceilingAfter);
    report.put("matmul_ceiling_gflops", ceiling);
    out.printf(
        "matmul ceiling after: %.1f GFLOP/s (the better of the two is the reference)%n",
        ceilingAfter);
    out.printf(
        "%n%-6s %8s %12s %10s %10s %12s%n",
        "batch", "calls", "images/s", "p50 ms", "GFLOP/s", "of ceiling");
    rows.forEach(
        row -> {
          double fraction = row.get("gflops").asDouble() / ceiling;
          ((ObjectNode) row).put("fraction_of_ceiling", fraction);
          out.printf(
              "%-6d %8d %12.2f %10.1f %10.1f %11.1f%%%n",
              row.get("batch").asInt(),
              row.get("calls").asInt(),
              row.get("images_per_second").asDouble(),
              row.get("p50_ms").asDouble(),
              row.get("gflops").asDouble(),
              100 * fraction);
        });
    Files.createDirectories(output.toAbsolutePath().getParent());
    json.writeValue(output.toFile(), report);
    out.println("\nwrote " + output);
  }

  private Path buildPreset(PrintWriter out) throws IOException {
    Path repository = Files.createTempDirectory("swinserve-bench");
    repository.toFile().deleteOnExit();
    out.println("building " + preset + " with demo weights in " + repository);
    ModelExport export = ModelSources.fromPreset(preset, 0);
    return ModelRepositoryWriter.write(repository, preset, OptionalLong.of(1), export);
  }

  /** Per-call latencies in seconds for {@link #seconds}, after three warm-up calls. */
  private double[] run(SessionFunction function, int size, int batch) {
    Shape shape = Shape.of(batch, size, size, 3);
    SplittableRandom random = new SplittableRandom(batch);
    float[] pixels = new float[(int) shape.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    try (TFloat32 input = TFloat32.tensorOf(shape, DataBuffers.of(pixels, true, false))) {
      Map<String, org.tensorflow.Tensor> arguments = Map.of(ModelVersionLayout.INPUT, input);
      for (int i = 0; i < 3; i++) {
        function.call(arguments).close();
      }
      double[] latencies = new double[1 << 16];
      int calls = 0;
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      while ((System.nanoTime() < deadline || calls < 3) && calls < latencies.length) {
        long start = System.nanoTime();
        try (Result ignored = function.call(arguments)) {
          latencies[calls++] = (System.nanoTime() - start) / 1e9;
        }
      }
      return Arrays.copyOf(latencies, calls);
    }
  }

  private static double percentile(double[] values, double quantile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))];
  }
}
