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
  MODEL_STREAM_INFER(GRPCInferenceServiceGrpc.getModelStreamInferMethod()),
  /**
   * The Open Inference Protocol's {@code POST /v2/models/{name}[/versions/{version}]/infer} over
   * HTTP/REST.
   */
  MODEL_INFER_HTTP("ModelInferHttp");

  private final String method;

  FrontDoor(MethodDescriptor<?, ?> method) {
    this(method.getBareMethodName());
  }

  FrontDoor(String method) {
    this.method = method;
  }

  /**
   * The method's bare name as the service defines it, e.g. {@code "Classify"} ({@code
   * "ModelInferHttp"} for the HTTP route): the series' {@code method} label.
   */
  public String method() {
    return method;
  }
}
