package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.image.ImagePreprocessor;
import dev.swinserve.registry.ModelConfig;
import dev.swinserve.registry.ModelLoader;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.runtime.InvalidModelException;
import dev.swinserve.server.runtime.RunPriority;
import dev.swinserve.server.runtime.RuntimeConfig;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ThreadPoolOptionProto;

/**
 * Loads a model version directory, laid out as {@link ModelVersionLayout} says (a SavedModel plus
 * {@code assets/labels.txt}, {@code assets/preprocessing.json} and {@code assets/model.json}), as a
 * {@link ClassificationModel}.
 * Assets are read and checked first, then the SavedModel is loaded with the version's thread
 * settings and its {@code serving_default} signature checked against them; a failure at any step
 * closes whatever was opened and throws {@link InvalidModelException} naming the file at fault.
 *
 * <p>Thread settings, as TensorFlow applies them: {@code inter_op_threads} above 0 gives the version
 * its own pool of that many threads (0: the pool shared by the process). {@code intra_op_threads}
 * sizes the version's own pool where the environment sets {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}
 * (the launcher does); otherwise TensorFlow shares one pool across the process, sized by the first
 * session, and the setting takes effect only for the first model loaded. Background runs get a
 * session of their own, created at the first one ({@link #backgroundConfig}).
 *
 * <p>Thread-safe and stateless: versions may be loaded concurrently.
 */
public final class TensorFlowModelLoader implements ModelLoader<ClassificationModel> {

  private static final String SHARED_POOL = "swinserve-inter-op";

  private final RuntimeConfig defaults;

  /** @param defaults what a version gets where its {@code model.yaml} sets no runtime key */
  @Inject
  public TensorFlowModelLoader(RuntimeConfig defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  /** @throws InvalidModelException if the directory, an asset, the signature or the runtime section is bad */
  @Override
  public ClassificationModel load(ModelVersionId id, Path versionDirectory, ModelConfig config) {
    RuntimeConfig runtime = runtimeConfig(versionDirectory, config);
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
      return new TensorFlowClassificationModel(id, bundles,
          () -> BackgroundThread.create(() -> loadBundle(versionDirectory, background)),
          preprocessor, assets, signature, runtime);
    } catch (RuntimeException | Error e) {
      if (preprocessor != null) {
        preprocessor.close();
      }
      bundles.forEach(SavedModelBundle::close);
      throw e;
    }
  }

  private RuntimeConfig runtimeConfig(Path versionDirectory, ModelConfig config) {
    try {
      return defaults.overriddenBy(config.runtime());
    } catch (IllegalArgumentException e) {
      Path modelYaml = versionDirectory.toAbsolutePath().getParent().resolve("model.yaml");
      throw new InvalidModelException(modelYaml + ": " + e.getMessage(), e);
    }
  }

  private static void requireSavedModel(Path versionDirectory) {
    if (!Files.isDirectory(versionDirectory)) {
      throw new InvalidModelException(versionDirectory + ": no such directory");
    }
    if (!Files.isRegularFile(versionDirectory.resolve(ModelVersionLayout.SAVED_MODEL_FILE))
        && !Files.isRegularFile(versionDirectory.resolve("saved_model.pbtxt"))) {
      throw new InvalidModelException(versionDirectory + ": not a TensorFlow SavedModel, it holds no"
          + " saved_model.pb");
    }
  }

  /**
   * A session's configuration for {@link RunPriority#NORMAL} calls: intra-op threads as configured,
   * and the version's own pool of {@code inter_op_threads} threads, or with 0 the pool every such
   * session of the process shares, sized to the cores.
   */
  static ConfigProto sessionConfig(RuntimeConfig runtime) {
    ThreadPoolOptionProto.Builder pool = ThreadPoolOptionProto.newBuilder().setNumThreads(runtime.interOpThreads());
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
      // TensorFlow's exceptions (not all of them TensorFlowException) carry graph context on later lines.
      throw new InvalidModelException(versionDirectory + ": cannot load the SavedModel with tag '"
          + ModelVersionLayout.TAG + "': " + firstLine(e.getMessage()), e);
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
