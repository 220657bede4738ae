/**
 * A small Java client for the swinserve gRPC API: {@link dev.swinserve.client.ClassifierClient} for
 * classification (unary and flow-controlled streaming) and {@link dev.swinserve.client.ModelServiceClient}
 * for inspecting and steering the models a server hosts.
 */
package dev.swinserve.client;
