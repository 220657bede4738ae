/**
 * The load generator behind {@code swinserve bench}: {@link dev.swinserve.client.bench.LoadGenerator}
 * runs a {@link dev.swinserve.client.bench.LoadSpec} (closed or open loop, unary or streaming)
 * against a server and returns a {@link dev.swinserve.client.bench.LoadResult} with throughput,
 * HdrHistogram latency percentiles, errors by status code and a per-second timeline. Time comes
 * from an injectable {@link dev.swinserve.client.bench.Ticker}; charts of the timeline are in
 * {@code dev.swinserve.client.bench.plot}.
 */
package dev.swinserve.client.bench;
