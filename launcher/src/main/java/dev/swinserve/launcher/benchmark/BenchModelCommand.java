package dev.swinserve.launcher.benchmark;

import dev.swinserve.bench.model.ModelBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code swinserve bench-model}: the options of a {@link ModelBenchmark}, which it runs. */
@Command(
    name = "bench-model",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Model throughput against the machine's float32 matmul ceiling, in one run.")
public final class BenchModelCommand implements Callable<Integer> {

  @Option(
      names = "--preset",
      defaultValue = "swinv2-tiny-patch4-window8-256",
      description = "architecture, built with seeded demo weights; default ${DEFAULT-VALUE}")
  String preset;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "benchmark this SavedModel version directory instead of building --preset")
  Path modelDirectory;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,8",
      description = "default ${DEFAULT-VALUE}")
  List<Integer> batchSizes;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "per batch size; default ${DEFAULT-VALUE}")
  double seconds;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "0 lets TensorFlow choose (one per core)")
  int intraOpThreads;

  @Option(names = "--inter-op-threads", defaultValue = "0")
  int interOpThreads;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      defaultValue = "bench-results/model-benchmark.json",
      description = "JSON results; default ${DEFAULT-VALUE}")
  Path output;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchModelCommand()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    new ModelBenchmark(preset, modelDirectory, batchSizes, seconds, intraOpThreads, interOpThreads)
        .run(output);
    return 0;
  }
}
