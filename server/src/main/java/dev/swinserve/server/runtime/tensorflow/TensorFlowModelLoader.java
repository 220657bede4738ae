package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.config.ConfigException;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.image.ImagePreprocessor;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelLoader;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.config.RuntimeSection;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.runtime.RuntimeConfig;
import dev.swinserve.server.scheduling.BatchingConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ThreadPoolOptionProto;

/**
 * Loads a model version directory, laid out as {@link ModelVersionLayout} says (a SavedModel plus
 * {@code assets/labels.txt}, {@code assets/preprocessing.json} and {@code assets/model.json}), as a
 * {@link ClassificationModel}. Assets are read and checked first, then the SavedModel is loaded
 * with the version's thread settings and its {@code serving_default} signature checked against
 * them; a failure at any step closes whatever was opened and throws {@link InvalidModelException}
 * naming the file at fault.
 *
 * <p>Thread settings, as TensorFlow applies them: {@code inter_op_threads} above 0 gives the
 * version its own pool of that many threads (0: the pool shared by the process). {@code
 * intra_op_threads} sizes the version's own pool where the environment sets {@code
 * TF_OVERRIDE_GLOBAL_THREADPOOL=1} (the launcher does); otherwise TensorFlow shares one pool across
 * the process, sized by the first session, and the setting takes effect only for the first model
 * loaded. Background runs get a session of their own, created at the first one ({@link
 * #backgroundConfig}).
 *
 * <p>Thread-safe and stateless: versions may be loaded concurrently.
 */
public final class TensorFlowModelLoader implements ModelLoader<ClassificationModel> {

  private static final String SHARED_POOL = "swinserve-inter-op";

  private final RuntimeSection defaults;

  /**
   * @param runtime what a version gets where its {@code model.yaml} sets no runtime key
   * @param batching what a version gets where its {@code model.yaml} sets no batching key
   */
  @Inject
  public TensorFlowModelLoader(RuntimeConfig runtime, BatchingConfig batching) {
    this.defaults = new RuntimeSection(runtime, batching);
  }

  /** With the default batching options. */
  public TensorFlowModelLoader(RuntimeConfig runtime) {
    this(runtime, BatchingConfig.defaults());
  }

  /**
   * @throws InvalidModelException if the directory, an asset, the signature or the runtime section
   *     is bad
   */
  @Override
  public ClassificationModel load(ModelVersionId id, Path versionDirectory, ModelConfig config) {
    RuntimeSection settings = runtimeConfig(config);
    RuntimeConfig runtime = settings.runtime();
    requireSavedModel(versionDirectory);
    ModelAssets assets = ModelAssets.read(versionDirectory);
    List<SavedModelBundle> bundles = new ArrayList<>();
    ImagePreprocessor preprocessor = null;
    try {
      for (int instance = 0; instance < runtime.instances(); instance++) {
        bundles.add(loadBundle(versionDirectory, sessionConfig(runtime)));
      }
      ServingSignature signature = ServingSignature.check(bundles.get(0), versionDirectory, assets);
      preprocessor = new ImagePreprocessor(assets.preprocessing());
      ConfigProto background = backgroundConfig(runtime);
      return new TensorFlowClassificationModel(
          id,
          bundles,
          () -> BackgroundThread.create(() -> loadBundle(versionDirectory, background)),
          preprocessor,
          assets,
          signature,
          runtime,
          settings.batching());
    } catch (RuntimeException | Error e) {
      if (preprocessor != null) {
        preprocessor.close();
      }
      bundles.forEach(SavedModelBundle::close);
      throw e;
    }
  }

  /**
   * The bytes of the SavedModel's {@code variables/} folder plus its {@code saved_model.pb} (or
   * {@code .pbtxt}), times the version's {@code instances}: each session restores every variable
   * into a tensor of its own, and the variables files hold those tensors' bytes one for one (the
   * converter writes float32 weights uncompressed), while the graph is held once per session. A
   * multiplier of 1: not measured, so TensorFlow's own per-session overhead, the warm-up's
   * activations and the background session (made at the first background call) come on top.
   *
   * @throws InvalidModelException if the directory holds no SavedModel, cannot be read, or the
   *     runtime section is bad
   */
  @Override
  public long estimateResources(Path versionDirectory, ModelConfig config) {
    RuntimeConfig runtime = runtimeConfig(config).runtime();
    requireSavedModel(versionDirectory);
    try {
      return savedModelBytes(versionDirectory) * runtime.instances();
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidModelException(
          versionDirectory + ": cannot measure the SavedModel: " + e.getMessage(), e);
    }
  }

  private static long savedModelBytes(Path versionDirectory) throws IOException {
    Path graph = versionDirectory.resolve(ModelVersionLayout.SAVED_MODEL_FILE);
    long bytes =
        Files.size(
            Files.isRegularFile(graph) ? graph : versionDirectory.resolve("saved_model.pbtxt"));
    Path variables = versionDirectory.resolve("variables");
    if (Files.isDirectory(variables)) {
      try (Stream<Path> walk = Files.walk(variables)) {
        for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
          bytes += Files.size(file);
        }
      }
    }
    return bytes;
  }

  /**
   * The server's runtime and batching settings overridden by the {@code model.yaml}'s {@code
   * runtime:} keys.
   */
  private RuntimeSection runtimeConfig(ModelConfig config) {
    try {
      return defaults.overriddenBy(config.runtime());
    } catch (ConfigException e) {
      throw new InvalidModelException(e.getMessage(), e);
    }
  }

  private static void requireSavedModel(Path versionDirectory) {
    if (!Files.isDirectory(versionDirectory)) {
      throw new InvalidModelException(versionDirectory + ": no such directory");
    }
    if (!Files.isRegularFile(versionDirectory.resolve(ModelVersionLayout.SAVED_MODEL_FILE))
        && !Files.isRegularFile(versionDirectory.resolve("saved_model.pbtxt"))) {
      throw new InvalidModelException(
          versionDirectory + ": not a TensorFlow SavedModel, it holds no" + " saved_model.pb");
    }
  }

  /**
   * A session's configuration for {@link RunPriority#NORMAL} calls: intra-op threads as configured,
   * and the version's own pool of {@code inter_op_threads} threads, or with 0 the pool every such
   * session of the process shares, sized to the cores.
   */
  static ConfigProto sessionConfig(RuntimeConfig runtime) {
    ThreadPoolOptionProto.Builder pool =
        ThreadPoolOptionProto.newBuilder().setNumThreads(runtime.interOpThreads());
    if (runtime.interOpThreads() == 0) {
      pool.setGlobalName(SHARED_POOL);
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(runtime.intraOpThreads())
        .addSessionInterOpThreadPool(pool)
        .build();
  }

  /**
   * The configuration of the session that runs a version's {@link RunPriority#BACKGROUND} calls:
   * intra-op threads as configured and one inter-op thread, both its own, so that all its threads
   * are started by the {@link BackgroundThread} and share its idle priority. One operation at a
   * time is enough for work nobody waits for.
   */
  static ConfigProto backgroundConfig(RuntimeConfig runtime) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(runtime.intraOpThreads())
        .addSessionInterOpThreadPool(ThreadPoolOptionProto.newBuilder().setNumThreads(1))
        .build();
  }

  private static SavedModelBundle loadBundle(Path versionDirectory, ConfigProto session) {
    try {
      return SavedModelBundle.loader(versionDirectory.toString())
          .withTags(ModelVersionLayout.TAG)
          .withConfigProto(session)
          .load();
    } catch (RuntimeException e) {
      // TensorFlow's exceptions (not all of them TensorFlowException) carry graph context on later
      // lines.
      throw new InvalidModelException(
          versionDirectory
              + ": cannot load the SavedModel with tag '"
              + ModelVersionLayout.TAG
              + "': "
              + firstLine(e.getMessage()),
          e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
