/**
 * A small Java client for the swinserve gRPC API: {@link dev.swinserve.client.SwinserveClient} for
 * resilient classification (blocking, asynchronous and streaming; retries, per-endpoint breakers,
 * bulkhead, deadlines; configured by {@link dev.swinserve.client.ClientConfig}), which the
 * launcher's {@code classify} command uses too, and {@link dev.swinserve.client.ModelServiceClient}
 * for inspecting and steering the models a server hosts. This module is the Java SDK only: the
 * commands live in {@code launcher/}, and the {@code bench} load generator in {@code benchmarks/}
 * calls raw stubs instead (it measures the server, so it must not retry or break circuits).
 */
package dev.swinserve.client;
