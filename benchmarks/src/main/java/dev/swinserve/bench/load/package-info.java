/**
 * The load generator behind {@code swinserve bench}: {@link dev.swinserve.bench.load.LoadGenerator}
 * runs a {@link dev.swinserve.bench.load.LoadSpec} (closed or open loop, unary or streaming)
 * against a server and returns a {@link dev.swinserve.bench.load.LoadResult} with throughput,
 * HdrHistogram latency percentiles, errors by status code and a per-second timeline. Time comes
 * from an injectable {@link dev.swinserve.bench.load.Ticker}; charts of the timeline are in {@code
 * dev.swinserve.bench.load.plot}.
 */
package dev.swinserve.bench.load;
