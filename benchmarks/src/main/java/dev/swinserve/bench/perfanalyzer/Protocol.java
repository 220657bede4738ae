package dev.swinserve.bench.perfanalyzer;

import java.util.List;

/**
 * A front door of the server that {@code perf_analyzer} can load: its service kind, its transport,
 * and the input tensor that carries the pixels there.
 */
enum Protocol {
  /** TensorFlow Serving's {@code Predict}, input {@code pixel_values} in {@code float_val}. */
  TFSERVING_GRPC("tfserving-grpc", "tfserving", "grpc", "pixel_values"),
  /** KServe v2 {@code ModelInfer} over gRPC (Triton's service kind), input {@code pixels}. */
  KSERVE_GRPC("kserve-grpc", "triton", "grpc", "pixels"),
  /** KServe v2 over HTTP/REST: only once the server has opened its HTTP door. */
  KSERVE_HTTP("kserve-http", "triton", "http", "pixels");

  private final String label;
  private final String serviceKind;
  private final String transport;
  private final String input;

  Protocol(String label, String serviceKind, String transport, String input) {
    this.label = label;
    this.serviceKind = serviceKind;
    this.transport = transport;
    this.input = input;
  }

  /** The name results are filed under, e.g. {@code tfserving-grpc}. */
  String label() {
    return label;
  }

  /** The name of the input tensor the model's metadata gives the pixels through this door. */
  String input() {
    return input;
  }

  boolean http() {
    return transport.equals("http");
  }

  /** {@code perf_analyzer}'s options that choose this door at {@code target} (host:port). */
  List<String> arguments(String target) {
    return List.of("--service-kind", serviceKind, "-i", transport, "-u", target);
  }
}
