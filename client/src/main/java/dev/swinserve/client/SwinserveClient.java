package dev.swinserve.client;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.resilience.BreakerSnapshot;
import dev.swinserve.client.resilience.ResilienceFactory;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.retry.Retry;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * A resilient client of swinserve's {@code Classifier}: blocking, asynchronous and streaming
 * classification against one address, a static list, or a DNS name (an endpoint per address,
 * resolved again every {@link ClientConfig#dnsRefresh()}), calls spread round robin over the
 * endpoints, every unary call protected as {@link ResilienceFactory} composes it (retry with
 * backoff and budget, a breaker and bulkhead per endpoint, the gRPC deadline) and, while every
 * breaker is open, sent to the configured fallback model if there is one; streams reconnect within
 * the same retry settings and answer to the same breakers.
 *
 * <p>Thread-safe. Every call has a deadline ({@link ClientConfig#defaultDeadline()} unless given),
 * which spans its retries and is propagated to the server; a retry whose wait would end at or after
 * the deadline is not made, the call fails at once with its last failure instead. Failures surface
 * as {@link StatusRuntimeException}: the server's status, or UNAVAILABLE when an open breaker
 * refused the call, RESOURCE_EXHAUSTED when the bulkhead was full (the Resilience4j exception is
 * the cause). The client owns its channels; {@link #close()} shuts them down.
 */
public final class SwinserveClient implements AutoCloseable {

  private final ClientConfig config;
  private final Endpoints endpoints;
  private final ResilienceFactory resilience;
  private final ScheduledExecutorService scheduler;
  private final Runnable stopRefreshing;

  /**
   * A client over {@code channels} (endpoint name to channel, which it takes ownership of): the way
   * to plug in custom or in-process channels and a fake clock. The set of endpoints is fixed.
   * {@code random} yields values in [0, 1) for backoff jitter.
   */
  public SwinserveClient(
      ClientConfig config,
      Map<String, ManagedChannel> channels,
      Clock clock,
      DoubleSupplier random,
      BreakerListener listener) {
    this.config = config;
    this.scheduler = daemonScheduler("swinserve-client-retry");
    this.resilience = resilience(config, clock, random, scheduler, listener);
    this.endpoints = new Endpoints(channels, resilience);
    this.stopRefreshing = () -> {};
  }

  /**
   * A client of the DNS name {@code config.target()}, resolved with {@code resolver} now and then
   * every {@link ClientConfig#dnsRefresh()} on {@code refreshScheduler} (which it takes ownership
   * of); {@code openChannel} opens each endpoint's channel from its gRPC target.
   *
   * @throws IllegalArgumentException if the target is not a DNS name ({@code host:port} or {@code
   *     dns:///host:port})
   */
  SwinserveClient(
      ClientConfig config,
      AddressResolver resolver,
      Function<String, ManagedChannel> openChannel,
      ScheduledExecutorService refreshScheduler,
      Clock clock,
      DoubleSupplier random,
      BreakerListener listener) {
    if (!(ClientTarget.parse(config.target()) instanceof ClientTarget.DnsName name)) {
      throw new IllegalArgumentException("not a DNS name: " + config.target());
    }
    this.config = config;
    this.scheduler = daemonScheduler("swinserve-client-retry");
    this.resilience = resilience(config, clock, random, scheduler, listener);
    this.endpoints = new Endpoints(resilience);
    DnsEndpoints dns = new DnsEndpoints(name, resolver, openChannel, endpoints);
    dns.start(refreshScheduler, config.dnsRefresh());
    this.stopRefreshing =
        () -> {
          dns.close();
          refreshScheduler.shutdownNow();
        };
  }

  /**
   * A client over channels to {@code config.target()} (TLS when {@code config.tls()} is set), on
   * the system clock: a DNS name is resolved by the JDK and gets an endpoint per address, a static
   * list one per entry, any other target one channel (see {@link ClientConfig#target()}).
   */
  public static SwinserveClient connect(ClientConfig config, BreakerListener listener) {
    DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    if (ClientTarget.parse(config.target()) instanceof ClientTarget.DnsName name) {
      return new SwinserveClient(
          config,
          AddressResolver.SYSTEM,
          ClientChannels.forDnsName(name, config.tls()),
          daemonScheduler("swinserve-client-dns"),
          Clock.systemUTC(),
          random,
          listener);
    }
    return new SwinserveClient(
        config,
        ClientChannels.forClient(config.target(), config.tls()),
        Clock.systemUTC(),
        random,
        listener);
  }

  /** {@link #connect(ClientConfig, BreakerListener)} with the defaults for {@code target}. */
  public static SwinserveClient connect(String target) {
    return connect(ClientConfig.defaults(target), BreakerListener.NONE);
  }

  /** {@link #classify(ClassifyRequest, Duration)} with the default deadline. */
  public ClassifyResponse classify(ClassifyRequest request) {
    return classify(request, config.defaultDeadline());
  }

  /**
   * One classification, blocking until it is answered, has failed for good, or {@code deadline} has
   * passed.
   *
   * @throws StatusRuntimeException as the class comment says; CANCELLED when interrupted (the
   *     interrupt stays set)
   */
  public ClassifyResponse classify(ClassifyRequest request, Duration deadline) {
    CompletableFuture<ClassifyResponse> response = classifyAsync(request, deadline);
    try {
      return response.get();
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
    } catch (ExecutionException e) {
      Throwable cause = ResilienceFactory.unwrap(e);
      throw cause instanceof RuntimeException runtime
          ? runtime
          : Status.fromThrowable(cause).asRuntimeException();
    }
  }

  /** {@link #classifyAsync(ClassifyRequest, Duration)} with the default deadline. */
  public CompletableFuture<ClassifyResponse> classifyAsync(ClassifyRequest request) {
    return classifyAsync(request, config.defaultDeadline());
  }

  /**
   * One classification without blocking; the future completes on a gRPC or retry thread, failed
   * with a {@link StatusRuntimeException} as the class comment says. Cancelling the future cancels
   * the call in flight and any retry to come.
   */
  public CompletableFuture<ClassifyResponse> classifyAsync(
      ClassifyRequest request, Duration deadline) {
    Deadline callDeadline = Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<ClassifyResponse> result = new CompletableFuture<>();
    // Every attempt runs in this context, so cancelling the caller's future cancels the RPC in
    // flight (and the CANCELLED it ends with stops the retries); once done it releases listeners.
    Context.CancellableContext context = Context.current().withCancellation();
    result.whenComplete((response, failure) -> context.cancel(null));
    resilience
        .execute(
            () -> endpoints.pick().guard(),
            guard -> inContext(context, () -> attempt(channelOf(guard), request, callDeadline)),
            callDeadline)
        .whenComplete(
            (response, failure) -> {
              if (failure == null) {
                result.complete(response);
              } else if (ResilienceFactory.unwrap(failure) instanceof CallNotPermittedException
                  && config.fallbackModel().isPresent()) {
                ClassifyRequest fallback =
                    request.toBuilder().setModel(config.fallbackModel().get()).build();
                inContext(
                        context, () -> attempt(endpoints.pick().channel(), fallback, callDeadline))
                    .whenComplete(
                        (answer, error) -> {
                          if (error == null) {
                            result.complete(answer);
                          } else {
                            result.completeExceptionally(asStatus(error));
                          }
                        });
              } else {
                result.completeExceptionally(asStatus(failure));
              }
            });
    return result;
  }

  /**
   * Streams {@code requests} and blocks until every one has been answered, each response handed to
   * {@code onResponse} exactly once (in the order the server sent them, which may differ from
   * request order: pair them by {@code request_id}, which must be unique and non-empty).
   *
   * <p>At most {@code maxInFlight} requests are ever unanswered and one is sent only while the
   * transport is ready, so a slow server slows the reading of {@code requests}. When the stream
   * breaks with a retryable status, a new one is opened (to the next endpoint, after a backoff,
   * within the retry budget and {@code maxAttempts - 1} reconnections without an answer in between,
   * and never one whose wait would end at or after {@code deadline}) and the unanswered requests
   * are sent again; duplicates are dropped. {@code deadline} covers the whole stream, reconnections
   * included. {@code onResponse} runs on gRPC threads.
   *
   * <p>Every stream (the first and each reconnection) is admitted by its endpoint's breaker and
   * reports to it: a break before any answer with a server-unwell status counts as a failure, an
   * answer or a normal end as a success, never as a slow call. While the breakers refuse, a new
   * stream fails at once with UNAVAILABLE; a refused reconnection counts as a failed one.
   *
   * @throws StatusRuntimeException when the stream fails for good
   * @throws RuntimeException what {@code requests} or {@code onResponse} threw, or
   *     IllegalArgumentException for a missing or repeated request id; the stream is cancelled
   *     first
   * @throws InterruptedException when interrupted while waiting; the stream is cancelled first
   */
  public void classifyStream(
      Iterator<ClassifyRequest> requests,
      int maxInFlight,
      Consumer<ClassifyResponse> onResponse,
      Duration deadline)
      throws InterruptedException {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    new ReconnectingStream(
            requests,
            maxInFlight,
            onResponse,
            endpoints::pick,
            Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS),
            resilience,
            scheduler,
            BearerToken.of(config.bearerToken()))
        .run();
  }

  /**
   * Every endpoint's breaker now, in target order (for a DNS name: in the order addresses
   * appeared).
   */
  public List<BreakerSnapshot> breakers() {
    return endpoints.all().stream().map(endpoint -> endpoint.guard().snapshot()).toList();
  }

  /**
   * Retry counts of unary calls (succeeded with and without retrying, failed after retrying, ...).
   */
  public Retry.Metrics retryMetrics() {
    return resilience.retry().getMetrics();
  }

  /**
   * Stops re-resolving and shuts every channel down, giving calls in progress up to five seconds
   * each to end.
   */
  @Override
  public void close() {
    stopRefreshing.run();
    scheduler.shutdownNow();
    endpoints.close();
  }

  private ManagedChannel channelOf(ResilienceFactory.Guard guard) {
    return endpoints.channelOf(guard);
  }

  /** The breakers, bulkheads and retry of every endpoint, as {@code config} sets them. */
  private static ResilienceFactory resilience(
      ClientConfig config,
      Clock clock,
      DoubleSupplier random,
      ScheduledExecutorService scheduler,
      BreakerListener listener) {
    return new ResilienceFactory(
        config.breaker(),
        config.retry(),
        config.maxConcurrentCalls(),
        clock,
        random,
        scheduler,
        listener);
  }

  private static ScheduledExecutorService daemonScheduler(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, threadName);
          thread.setDaemon(true);
          return thread;
        });
  }

  private CompletionStage<ClassifyResponse> attempt(
      ManagedChannel channel, ClassifyRequest request, Deadline deadline) {
    CompletableFuture<ClassifyResponse> answer = new CompletableFuture<>();
    ClassifierGrpc.newStub(channel)
        .withDeadline(deadline)
        .withCallCredentials(BearerToken.of(config.bearerToken()))
        .classify(
            request,
            new StreamObserver<>() {
              @Override
              public void onNext(ClassifyResponse response) {
                answer.complete(response);
              }

              @Override
              public void onError(Throwable error) {
                answer.completeExceptionally(error);
              }

              @Override
              public void onCompleted() {
                if (!answer.isDone()) {
                  answer.completeExceptionally(
                      Status.INTERNAL.withDescription("no response").asRuntimeException());
                }
              }
            });
    return answer;
  }

  /**
   * Runs {@code work} with {@code context} attached, so the calls it starts belong to that context.
   */
  private static <T> T inContext(Context context, java.util.function.Supplier<T> work) {
    Context previous = context.attach();
    try {
      return work.get();
    } finally {
      context.detach(previous);
    }
  }

  private static Throwable asStatus(Throwable failure) {
    Throwable cause = ResilienceFactory.unwrap(failure);
    if (cause instanceof CallNotPermittedException) {
      return Status.UNAVAILABLE
          .withDescription(cause.getMessage())
          .withCause(cause)
          .asRuntimeException();
    }
    if (cause instanceof BulkheadFullException) {
      return Status.RESOURCE_EXHAUSTED
          .withDescription(cause.getMessage())
          .withCause(cause)
          .asRuntimeException();
    }
    return cause;
  }
}
