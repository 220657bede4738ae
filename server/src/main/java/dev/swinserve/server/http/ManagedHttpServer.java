package dev.swinserve.server.http;

import dev.swinserve.server.config.HttpConfig;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.lifecycle.Managed;
import dev.swinserve.server.lifecycle.ServerThreads;
import dev.swinserve.server.security.TransportSecurity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 listener of the {@link HttpService}, when {@code http.port} is not -1: Netty's HTTP
 * codec with keep-alive, gzip and deflate request bodies, bodies up to {@code http.max_body_bytes}
 * (413 beyond), and a bounded pool of workers that run the service (429 when it is full). On close
 * it drains like the gRPC server: stops accepting, lets the calls in flight finish within the grace
 * period (answering them with {@code Connection: close}), then closes every connection.
 */
@Singleton
public final class ManagedHttpServer implements Managed {

  private static final System.Logger LOG = System.getLogger(ManagedHttpServer.class.getName());

  /** Requests waiting for a worker beyond which the server answers 429. */
  private static final int WORKER_QUEUE_CAPACITY = 1024;

  private final ServerConfig config;
  private final HttpConfig http;
  private final ServerThreads threads;
  private final HttpService service;
  private final TransportSecurity security;
  private final InFlight inFlight = new InFlight();
  private EventLoopGroup acceptor;
  private EventLoopGroup connections;
  private ChannelGroup channels;
  private Channel listener;
  private int port = HttpConfig.OFF;

  @Inject
  ManagedHttpServer(
      ServerConfig config, ServerThreads threads, HttpService service, TransportSecurity security) {
    this.config = config;
    this.security = security;
    this.http = config.http();
    this.threads = threads;
    this.service = service;
  }

  @Override
  public void start() throws IOException {
    if (!http.enabled()) {
      return;
    }
    InetSocketAddress address = listenAddress();
    Optional<SslContext> tls = security.http();
    ExecutorService workers = threads.workers("http", http.threads(), WORKER_QUEUE_CAPACITY);
    acceptor = new NioEventLoopGroup(1, threads.factory("http-accept"));
    connections = new NioEventLoopGroup(http.threads(), threads.factory("http-io"));
    channels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, connections)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channels.add(channel);
                    tls.ifPresent(
                        context -> channel.pipeline().addLast(context.newHandler(channel.alloc())));
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerKeepAliveHandler())
                        .addLast(new HttpContentDecompressor())
                        .addLast(new OversizedBodies(http.maxBodyBytes()))
                        .addLast(new RequestDispatcher(service, workers, inFlight));
                  }
                });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDownEventLoops();
      throw new IOException(
          "cannot listen for HTTP on port " + http.port() + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    listener = bound.channel();
    port = ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The HTTP port listened on; -1 when HTTP is off or not started. */
  public int port() {
    return port;
  }

  private InetSocketAddress listenAddress() {
    if (config.host().isEmpty()) {
      return new InetSocketAddress(http.port());
    }
    InetSocketAddress address = new InetSocketAddress(config.host().get(), http.port());
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "host '" + config.host().get() + "' does not resolve to an address");
    }
    return address;
  }

  /** Returns once the calls in flight are answered, or the grace period is over. */
  @Override
  public void close() {
    if (listener == null) {
      return;
    }
    inFlight.drain();
    listener.close().syncUninterruptibly();
    try {
      if (!inFlight.awaitNone(config.shutdownGrace().toMillis())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "grace period over; closing the HTTP connections with calls still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutDownEventLoops();
  }

  private void shutDownEventLoops() {
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    connections
        .shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** The requests read and not yet answered, counted for the drain. Thread-safe. */
  static final class InFlight {
    private int calls;
    private boolean draining;

    synchronized void begin() {
      calls++;
    }

    synchronized void end() {
      calls--;
      if (calls == 0) {
        notifyAll();
      }
    }

    synchronized void drain() {
      draining = true;
    }

    synchronized boolean draining() {
      return draining;
    }

    synchronized boolean awaitNone(long timeoutMillis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (calls > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }
}
