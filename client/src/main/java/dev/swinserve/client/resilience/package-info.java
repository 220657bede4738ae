/**
 * How the client protects its calls: {@link dev.swinserve.client.resilience.ResilienceFactory}
 * composes Retry, a CircuitBreaker and a Bulkhead per endpoint, and the gRPC deadline, in one
 * documented order; {@link dev.swinserve.client.resilience.StatusPolicy} decides which statuses
 * count against a breaker and which are retried.
 */
package dev.swinserve.client.resilience;
