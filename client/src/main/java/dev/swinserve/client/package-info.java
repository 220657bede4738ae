/**
 * A small Java client for the swinserve gRPC API: {@link dev.swinserve.client.SwinserveClient} for
 * resilient classification (blocking, asynchronous and streaming; retries, per-endpoint breakers,
 * bulkhead, deadlines; configured by {@link dev.swinserve.client.ClientConfig}),
 * {@link dev.swinserve.client.ClassifierClient} for plain calls over one channel, and
 * {@link dev.swinserve.client.ModelServiceClient} for inspecting and steering the models a server
 * hosts.
 */
package dev.swinserve.client;
