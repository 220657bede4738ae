package dev.swinserve.client.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Told of every state change of an endpoint's breaker, on the thread of the call that caused it.
 */
@FunctionalInterface
public interface BreakerListener {

  BreakerListener NONE = (endpoint, from, to) -> {};

  void onStateChange(String endpoint, CircuitBreaker.State from, CircuitBreaker.State to);
}
