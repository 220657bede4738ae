// Package swinserve is the Go client of swinserve, a gRPC server for SwinV2 image classifiers.
//
// A Client classifies images (unary and streaming), lists models, moves labels and asks for
// health. Every unary call is protected, outermost first, by
//
//	retry( circuit breaker( bulkhead( call with a gRPC deadline ) ) )
//
// exactly as the Java client (dev.swinserve.client) composes it, with the same defaults:
//
//   - Deadline: the context's deadline, else the client's default (10 s). It spans every retry
//     and is sent to the server; a retry whose wait would end at or after it is not made.
//   - Retry: UNAVAILABLE, and RESOURCE_EXHAUSTED that carries a grpc-retry-pushback-ms trailer;
//     the pushback replaces the backoff, a negative one means "do not retry". 3 attempts,
//     backoff 100 ms doubling up to 2 s with ±50 % jitter, and a retry budget of 10 % of calls
//     plus 10 tokens shared by the whole client. gRPC's own retries are switched off.
//   - Breaker: one per endpoint, over the last 20 calls (at least 10), opening at 50 % failures
//     or 80 % calls slower than 5 s, open for 10 s, then 3 half-open probes. Failures are
//     UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN and shed RESOURCE_EXHAUSTED; caller
//     mistakes count as answered calls; CANCELLED counts nothing.
//   - Bulkhead: 64 calls in flight per endpoint; one more fails at once with RESOURCE_EXHAUSTED.
//
// Connections are plaintext unless WithTLS names the CAs to trust and, for mutual TLS, the
// client's certificate and key.
//
// Errors are gRPC status errors: status.FromError and status.Code work on every error the
// client returns. A call refused by an open breaker fails with UNAVAILABLE whose message says
// the breaker is open.
package swinserve
