package swinserve

import (
	"context"
	"fmt"
	"slices"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// Client is a resilient swinserve client over one or more endpoints. Safe for concurrent use;
// it owns its connections, which Close releases.
type Client struct {
	config         config
	endpoints      *endpoints
	budget         *retryBudget
	stopRefreshing func()
}

// reconnectParams keep a connection that lost its server trying again every second or two
// (gRPC's default grows to two minutes): the client's own retries decide when to give up.
var reconnectParams = grpc.ConnectParams{
	Backoff: backoff.Config{
		BaseDelay:  100 * time.Millisecond,
		Multiplier: 1.6,
		Jitter:     0.2,
		MaxDelay:   2 * time.Second,
	},
	MinConnectTimeout: 5 * time.Second,
}

// New makes a client of target:
//
//   - a static list "h1:p1,h2:p2": an endpoint per address;
//   - a DNS name "host:port" or "dns:///host:port": resolved by the client, an endpoint per
//     address ("host/10.0.0.7:8500"), resolved again every 30 s (WithDNSRefresh); with one
//     address, or while it does not resolve, one endpoint to the name, which gRPC resolves;
//   - anything else (an IP literal, "unix:///path"): one endpoint.
//
// Each endpoint has its own connection, breaker and bulkhead; calls go round robin, passing over
// endpoints whose breaker is open or whose connection failed while another will take the call.
// Connections are plaintext unless WithTLS (or WithDialOptions) gives credentials; a DNS name's
// per-address connections name the name as their authority, so TLS checks the server's
// certificate against the name, never the address. Connections start connecting at once. New may block while the name resolves (at most 10 s).
func New(target string, options ...Option) (*Client, error) {
	cfg, err := newConfig(options)
	if err != nil {
		return nil, err
	}
	parsed, err := parseTarget(target)
	if err != nil {
		return nil, err
	}
	transport := insecure.NewCredentials()
	if cfg.tls != nil {
		if transport, err = cfg.tls.credentials(); err != nil {
			return nil, err
		}
	}
	dial := append([]grpc.DialOption{
		grpc.WithTransportCredentials(transport),
		grpc.WithDisableRetry(),
		grpc.WithConnectParams(reconnectParams),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`),
	}, cfg.dialOptions...)
	open := func(want endpointTarget) (*endpoint, error) {
		options := dial
		if want.authority != "" {
			options = append(slices.Clip(dial), grpc.WithAuthority(want.authority))
		}
		conn, err := grpc.NewClient(want.target, options...)
		if err != nil {
			return nil, fmt.Errorf("swinserve: endpoint %q: %w", want.name, err)
		}
		conn.Connect()
		return &endpoint{
			name:     want.name,
			conn:     conn,
			breaker:  newBreaker(want.name, cfg.breaker, cfg.now),
			bulkhead: make(chan struct{}, cfg.maxConcurrentCalls),
		}, nil
	}
	client := &Client{
		config:         cfg,
		endpoints:      newEndpoints(open),
		budget:         newRetryBudget(cfg.retry.BudgetRatio, cfg.retry.BudgetMinimum),
		stopRefreshing: func() {},
	}
	var wanted []endpointTarget
	switch {
	case parsed.addresses != nil:
		for _, address := range parsed.addresses {
			wanted = append(wanted, endpointTarget{name: address, target: address})
		}
	case parsed.host != "":
		dns := newDNSEndpoints(parsed, cfg.lookup, client.endpoints)
		if !dns.refresh() {
			wanted = []endpointTarget{{name: parsed.single, target: parsed.single}}
		}
		dns.start(cfg.dnsRefresh)
		client.stopRefreshing = dns.stop
	default:
		wanted = []endpointTarget{{name: parsed.single, target: parsed.single}}
	}
	if wanted != nil {
		if err := client.endpoints.replace(wanted); err != nil {
			_ = client.Close()
			return nil, err
		}
	}
	return client, nil
}

// Close stops re-resolving and closes every connection; calls in flight fail with CANCELLED.
func (c *Client) Close() error {
	c.stopRefreshing()
	return c.endpoints.close()
}

// Breakers returns every endpoint's breaker now, in the order endpoints joined (target order).
func (c *Client) Breakers() []BreakerSnapshot {
	all := c.endpoints.all()
	snapshots := make([]BreakerSnapshot, len(all))
	for i, endpoint := range all {
		snapshots[i] = endpoint.breaker.snapshot()
	}
	return snapshots
}

// withCallDeadline gives ctx the client's default deadline unless it has one already.
func (c *Client) withCallDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, c.config.now().Add(c.config.defaultDeadline))
}

// protected runs one unary call as the package comment composes it: attempts (each on the
// endpoint picked for it, inside its breaker and bulkhead) until one succeeds, the failure is
// not retryable, the attempts or the budget run out, or the next wait would end at or after
// the deadline; then it returns the last attempt's failure (nil on success).
func (c *Client) protected(ctx context.Context, attempt func(ctx context.Context, conn *grpc.ClientConn) *attemptError) *attemptError {
	ctx, cancel := c.withCallDeadline(ctx)
	defer cancel()
	deadline, _ := ctx.Deadline()
	c.budget.recordCall()
	for number := 1; ; number++ {
		failure := c.guarded(ctx, c.endpoints.pick(), attempt)
		if failure == nil {
			return nil
		}
		if !isRetryable(failure) || number >= c.config.retry.MaxAttempts {
			return failure
		}
		wait := retryWait(c.config.retry, number, failure, c.config.random)
		if !c.config.now().Add(wait).Before(deadline) || !c.budget.tryAcquire() {
			return failure
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return failure
		}
	}
}

// guarded makes one attempt on endpoint inside its breaker and bulkhead, and reports the
// outcome to the breaker: server-unwell failures count as failures, cancellations count
// nothing, anything else (an answer, a caller mistake) as an answered call.
func (c *Client) guarded(ctx context.Context, endpoint *endpoint, attempt func(context.Context, *grpc.ClientConn) *attemptError) *attemptError {
	if err := endpoint.breaker.acquire(); err != nil {
		return &attemptError{err: status.Error(codes.Unavailable, err.Error()), local: true, breakerOpen: true}
	}
	if !endpoint.enter() {
		endpoint.breaker.release()
		return &attemptError{
			err:   status.Errorf(codes.ResourceExhausted, "bulkhead of endpoint %s is full: %d calls in flight", endpoint.name, c.config.maxConcurrentCalls),
			local: true,
		}
	}
	defer endpoint.leave()
	done, err := endpoint.use()
	if err != nil {
		endpoint.breaker.release()
		return &attemptError{err: err}
	}
	defer done()
	started := c.config.now()
	failure := attempt(ctx, endpoint.conn)
	took := c.config.now().Sub(started)
	switch {
	case failure == nil:
		endpoint.breaker.record(false, took)
	case status.Code(failure.err) == codes.Canceled:
		endpoint.breaker.release()
	default:
		endpoint.breaker.record(isServerUnwell(failure), took)
	}
	return failure
}
