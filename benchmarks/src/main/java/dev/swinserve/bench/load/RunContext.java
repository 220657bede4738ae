package dev.swinserve.bench.load;

import io.grpc.Channel;
import java.time.Duration;

/** What every sender of one run shares: where requests go, what they are, and where answers go. */
record RunContext(
    Channel channel,
    Ticker ticker,
    Phases phases,
    RequestSource source,
    ResultCollector results,
    Outstanding outstanding,
    Duration deadline) {}
