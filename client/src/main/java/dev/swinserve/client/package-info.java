/**
 * A small Java client for the swinserve gRPC API: {@link dev.swinserve.client.SwinserveClient} for
 * resilient classification (blocking, asynchronous and streaming; retries, per-endpoint breakers,
 * bulkhead, deadlines; configured by {@link dev.swinserve.client.ClientConfig}), which the
 * {@code classify} command uses too, and {@link dev.swinserve.client.ModelServiceClient} for
 * inspecting and steering the models a server hosts. The {@code bench} load generator calls raw
 * stubs instead: it measures the server, so it must not retry or break circuits.
 */
package dev.swinserve.client;
