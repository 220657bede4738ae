/**
 * The {@code perf-analyzer} benchmark: Triton's {@code perf_analyzer} and swinserve's own load
 * generator put the same closed-loop load on one {@code swinserve serve}, and their throughput and
 * latency percentiles are written side by side. {@link
 * dev.swinserve.bench.perfanalyzer.PerfAnalyzerScenario} runs it; {@link
 * dev.swinserve.bench.perfanalyzer.PerfAnalyzerTool} installs and runs the binary ({@code
 * benchmarks/perf-analyzer/setup.sh}); {@link dev.swinserve.bench.perfanalyzer.Protocol} is the
 * front door it goes through; {@link dev.swinserve.bench.perfanalyzer.PerfAnalyzerCsv} reads what
 * it measured.
 */
package dev.swinserve.bench.perfanalyzer;
