package dev.swinserve.server.grpc;

import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.tfserving.PredictionServiceGrpc;
import dev.swinserve.api.v1.ClassifierGrpc;
import io.grpc.MethodDescriptor;

/**
 * The RPC method a classification call came in by, which labels its {@code request_latency} series.
 * A new front door (KServe v2's {@code ModelInfer}, TensorFlow Serving's {@code Predict}) adds its
 * method here and passes its calls through {@link CallPipeline}, which gives it the same
 * accounting, deadline handling and status mapping.
 */
public enum FrontDoor {
  CLASSIFY(ClassifierGrpc.getClassifyMethod()),
  CLASSIFY_STREAM(ClassifierGrpc.getClassifyStreamMethod()),
  /** TensorFlow Serving's {@code tensorflow.serving.PredictionService/Predict}. */
  PREDICT(PredictionServiceGrpc.getPredictMethod()),
  /** The Open Inference Protocol's {@code inference.GRPCInferenceService/ModelInfer}. */
  MODEL_INFER(GRPCInferenceServiceGrpc.getModelInferMethod()),
  /** The Open Inference Protocol's {@code inference.GRPCInferenceService/ModelStreamInfer}. */
  MODEL_STREAM_INFER(GRPCInferenceServiceGrpc.getModelStreamInferMethod());

  private final String method;

  FrontDoor(MethodDescriptor<?, ?> method) {
    this.method = method.getBareMethodName();
  }

  /**
   * The method's bare name as the service defines it, e.g. {@code "Classify"}: the series' {@code
   * method} label.
   */
  public String method() {
    return method;
  }
}
