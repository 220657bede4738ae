import {
  Client as GrpcClient,
  connectivityState,
  type ChannelCredentials,
  type ChannelOptions,
} from "@grpc/grpc-js";
import type { Guard } from "./resilience/guard.js";
import type { Resilience } from "./resilience/resilience.js";

/** One endpoint: its channel, breaker and bulkhead. */
export class Endpoint {
  private seenReady = false;

  constructor(
    readonly name: string,
    readonly channel: GrpcClient,
    readonly guard: Guard,
  ) {}

  /**
   * Whether the channel failed to connect, or was seen connected and is no longer. A channel
   * never seen connected is not judged (it connects on its first call); one gone idle after being
   * connected is asked to reconnect, so that it can come back.
   */
  unreachable(): boolean {
    const state = this.channel.getChannel().getConnectivityState(false);
    switch (state) {
      case connectivityState.READY:
        this.seenReady = true;
        return false;
      case connectivityState.TRANSIENT_FAILURE:
      case connectivityState.SHUTDOWN:
        return true;
      case connectivityState.IDLE:
        if (this.seenReady) {
          this.channel.getChannel().getConnectivityState(true);
        }
        return this.seenReady;
      default:
        return this.seenReady;
    }
  }
}

/**
 * The endpoints of a client, picked round robin. An endpoint is passed over while another one
 * will take the call if its breaker is open, or if its channel lost its connection or cannot
 * connect; when none qualifies, the next one whose breaker admits calls is picked anyway, else
 * simply the next one (and its breaker refuses). The set is fixed.
 */
export class Endpoints {
  readonly all: readonly Endpoint[];
  private next = 0;

  constructor(
    addresses: string[],
    credentials: ChannelCredentials,
    channelOptions: ChannelOptions,
    resilience: Resilience,
  ) {
    this.all = addresses.map(
      (address) =>
        new Endpoint(
          address,
          new GrpcClient(address, credentials, {
            // As the Java client's channels: a name with several addresses is spread round robin.
            "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
            ...channelOptions,
            // Retries happen in one layer only: the client's.
            "grpc.enable_retries": 0,
          }),
          resilience.guard(address),
        ),
    );
  }

  pick(): Endpoint {
    const endpoints = this.all;
    if (endpoints.length === 1) {
      return endpoints[0]!;
    }
    const start = this.next++ % endpoints.length;
    let admitting: Endpoint | undefined;
    for (let i = 0; i < endpoints.length; i++) {
      const candidate = endpoints[(start + i) % endpoints.length]!;
      if (candidate.guard.breaker.mayAdmit()) {
        if (!candidate.unreachable()) {
          return candidate;
        }
        admitting ??= candidate;
      }
    }
    return admitting ?? endpoints[start]!;
  }

  /** The endpoint `guard` belongs to. */
  of(guard: Guard): Endpoint {
    const endpoint = this.all.find((candidate) => candidate.guard === guard);
    if (endpoint === undefined) {
      throw new Error(`no endpoint has the guard of ${guard.endpoint}`);
    }
    return endpoint;
  }

  close(): void {
    for (const endpoint of this.all) {
      endpoint.channel.close();
    }
  }
}
