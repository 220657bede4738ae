package dev.swinserve.converter.export;

import dev.swinserve.converter.swinv2.GraphParameters;
import dev.swinserve.converter.swinv2.SwinV2Config;
import dev.swinserve.converter.swinv2.SwinV2Graph;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.tensor.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Writes the SwinV2 graph and its weights as a TensorFlow SavedModel, as {@link ModelVersionLayout}
 * says: tag {@code serve}, signature {@code serving_default} taking {@code pixel_values} float32
 * {@code [batch, size, size, 3]} (NHWC, normalised) and returning {@code logits} and {@code
 * probabilities}. Weights are plain {@code VariableV2} variables restored from {@code variables/},
 * so stock TensorFlow loads the directory; they are assigned from placeholders, keeping {@code
 * saved_model.pb} small.
 */
public final class SavedModelWriter {

  private SavedModelWriter() {}

  /**
   * @param parameters graph parameters from {@link GraphParameters#prepare}
   * @param directory the SavedModel directory to create; must not exist or be empty
   */
  public static void write(
      SwinV2Config config, Map<String, FloatTensor> parameters, Path directory) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> variables = new HashMap<>();
      Map<String, Placeholder<TFloat32>> initialValues = new HashMap<>();
      Map<String, Assign<TFloat32>> assignments = new HashMap<>();
      parameters.forEach(
          (name, tensor) -> {
            Shape shape = Shape.of(tensor.shape());
            Variable<TFloat32> variable = named(tf, name).variable(shape, TFloat32.class);
            Ops init = named(tf, name + "/initial_value");
            Placeholder<TFloat32> initial =
                init.placeholder(TFloat32.class, Placeholder.shape(shape));
            variables.put(name, variable);
            initialValues.put(name, initial);
            assignments.put(name, named(tf, name + "/assign").assign(variable, initial));
          });
      int size = config.imageSize();
      Placeholder<TFloat32> pixels =
          tf.withName(ModelVersionLayout.INPUT)
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size, size, 3)));
      SwinV2Graph.Outputs outputs =
          SwinV2Graph.build(
              tf,
              config,
              name -> {
                Operand<TFloat32> variable = variables.get(name);
                if (variable == null) {
                  throw new IllegalStateException(
                      "graph asks for parameter " + name + " that was not prepared");
                }
                return variable;
              },
              pixels);
      try (Session session = new Session(graph)) {
        parameters.forEach(
            (name, tensor) ->
                assign(session, initialValues.get(name), assignments.get(name), tensor));
        Signature signature =
            Signature.builder()
                .key(ModelVersionLayout.SIGNATURE)
                .input(ModelVersionLayout.INPUT, pixels)
                .output(ModelVersionLayout.LOGITS, outputs.logits())
                .output(ModelVersionLayout.PROBABILITIES, outputs.probabilities())
                .build();
        SavedModelBundle.exporter(directory.toString())
            .withTags(ModelVersionLayout.TAG)
            .withFunction(SessionFunction.create(signature, session))
            .export();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export SavedModel to " + directory, e);
    }
  }

  /** Ops that name the next op {@code a/b/c}: TensorFlow names nest through sub-scopes. */
  private static Ops named(Ops tf, String path) {
    String[] parts = path.split("/");
    Ops scoped = tf;
    for (int i = 0; i < parts.length - 1; i++) {
      scoped = scoped.withSubScope(parts[i]);
    }
    return scoped.withName(parts[parts.length - 1]);
  }

  private static void assign(
      Session session,
      Placeholder<TFloat32> placeholder,
      Assign<TFloat32> assign,
      FloatTensor value) {
    try (TFloat32 tensor =
            TFloat32.tensorOf(Shape.of(value.shape()), DataBuffers.of(value.data(), true, false));
        Result ignored = session.runner().feed(placeholder, tensor).addTarget(assign).run()) {
      // assigned; the result holds no outputs
    }
  }
}
