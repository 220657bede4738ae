package swinserve

import (
	"fmt"
	"math/rand/v2"
	"time"

	"google.golang.org/grpc"
)

// RetryConfig says how failed calls are retried. The zero value is not valid; start from
// DefaultRetryConfig and change what differs.
type RetryConfig struct {
	// MaxAttempts counts every attempt, the first included; 1 turns retries off.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry, before jitter.
	InitialBackoff time.Duration
	// Multiplier is how much each further wait grows (at least 1).
	Multiplier float64
	// MaxBackoff is the longest wait, before jitter.
	MaxBackoff time.Duration
	// Jitter: a wait is drawn uniformly from backoff × (1 ± Jitter); 0 to 1.
	Jitter float64
	// BudgetRatio is how many retry tokens each call earns.
	BudgetRatio float64
	// BudgetMinimum is the tokens at start, and the most that can be saved up.
	BudgetMinimum int
}

// DefaultRetryConfig is the Java client's RetryConfig.defaults(): 3 attempts, 100 ms doubling
// up to 2 s, ±50 % jitter, retries at most 10 % of calls plus 10.
func DefaultRetryConfig() RetryConfig {
	return RetryConfig{
		MaxAttempts:    3,
		InitialBackoff: 100 * time.Millisecond,
		Multiplier:     2,
		MaxBackoff:     2 * time.Second,
		Jitter:         0.5,
		BudgetRatio:    0.1,
		BudgetMinimum:  10,
	}
}

// Validate reports the first setting out of range.
func (c RetryConfig) Validate() error {
	switch {
	case c.MaxAttempts < 1:
		return fmt.Errorf("swinserve: RetryConfig.MaxAttempts must be at least 1, was %d", c.MaxAttempts)
	case c.InitialBackoff <= 0 || c.MaxBackoff <= 0:
		return fmt.Errorf("swinserve: RetryConfig.InitialBackoff and MaxBackoff must be positive, were %v and %v", c.InitialBackoff, c.MaxBackoff)
	case c.Multiplier < 1:
		return fmt.Errorf("swinserve: RetryConfig.Multiplier must be at least 1, was %v", c.Multiplier)
	case c.Jitter < 0 || c.Jitter > 1:
		return fmt.Errorf("swinserve: RetryConfig.Jitter must be within [0, 1], was %v", c.Jitter)
	case c.BudgetRatio < 0 || c.BudgetMinimum < 0:
		return fmt.Errorf("swinserve: RetryConfig.BudgetRatio and BudgetMinimum must not be negative")
	}
	return nil
}

// BreakerConfig is one endpoint's circuit breaker, over a window of the last WindowSize calls
// (the Java client's COUNT window; its TIME window is not offered here). The zero value is not
// valid; start from DefaultBreakerConfig.
type BreakerConfig struct {
	// WindowSize is how many of the latest calls the rates are computed over.
	WindowSize int
	// MinimumCalls is how many calls the window must hold before a rate can open the breaker
	// (at most WindowSize takes effect).
	MinimumCalls int
	// FailureRateThresholdPercent opens the breaker at this share of failures, 1 to 100.
	FailureRateThresholdPercent float64
	// SlowCallDuration: a call taking at least this long is slow.
	SlowCallDuration time.Duration
	// SlowCallRateThresholdPercent opens the breaker at this share of slow calls, 1 to 100.
	SlowCallRateThresholdPercent float64
	// WaitInOpenState is how long an open breaker refuses every call before letting probes in.
	WaitInOpenState time.Duration
	// HalfOpenProbes is how many calls a half-open breaker lets through; their failure rate
	// decides whether it closes (below the threshold) or opens again.
	HalfOpenProbes int
}

// DefaultBreakerConfig is the Java client's BreakerConfig.defaults(): last 20 calls, at least
// 10; opens at 50 % failures or 80 % calls slower than 5 s; 10 s open; 3 probes.
func DefaultBreakerConfig() BreakerConfig {
	return BreakerConfig{
		WindowSize:                   20,
		MinimumCalls:                 10,
		FailureRateThresholdPercent:  50,
		SlowCallDuration:             5 * time.Second,
		SlowCallRateThresholdPercent: 80,
		WaitInOpenState:              10 * time.Second,
		HalfOpenProbes:               3,
	}
}

// Validate reports the first setting out of range.
func (c BreakerConfig) Validate() error {
	switch {
	case c.WindowSize < 1 || c.MinimumCalls < 1 || c.HalfOpenProbes < 1:
		return fmt.Errorf("swinserve: BreakerConfig.WindowSize, MinimumCalls and HalfOpenProbes must be at least 1, were %d, %d and %d", c.WindowSize, c.MinimumCalls, c.HalfOpenProbes)
	case !isPercent(c.FailureRateThresholdPercent) || !isPercent(c.SlowCallRateThresholdPercent):
		return fmt.Errorf("swinserve: BreakerConfig thresholds must be within (0, 100], were %v and %v", c.FailureRateThresholdPercent, c.SlowCallRateThresholdPercent)
	case c.SlowCallDuration <= 0 || c.WaitInOpenState <= 0:
		return fmt.Errorf("swinserve: BreakerConfig.SlowCallDuration and WaitInOpenState must be positive, were %v and %v", c.SlowCallDuration, c.WaitInOpenState)
	}
	return nil
}

func isPercent(value float64) bool { return value > 0 && value <= 100 }

// DefaultDeadline is the deadline of a unary call whose context has none.
const DefaultDeadline = 10 * time.Second

// DefaultMaxConcurrentCalls is the bulkhead: calls in flight per endpoint.
const DefaultMaxConcurrentCalls = 64

// config is everything a Client is built from.
type config struct {
	defaultDeadline    time.Duration
	retry              RetryConfig
	breaker            BreakerConfig
	maxConcurrentCalls int
	dialOptions        []grpc.DialOption
	tls                *TLSConfig
	fallback           *ModelRef
	dnsRefresh         time.Duration
	lookup             lookupFunc
	now                func() time.Time
	random             func() float64
}

// Option changes one setting of a Client (functional options, as grpc-go's own).
type Option func(*config)

// WithDefaultDeadline sets the deadline of a unary call whose context carries none (default 10 s).
func WithDefaultDeadline(deadline time.Duration) Option {
	return func(c *config) { c.defaultDeadline = deadline }
}

// WithRetry replaces the retry settings (default DefaultRetryConfig()).
func WithRetry(retry RetryConfig) Option {
	return func(c *config) { c.retry = retry }
}

// WithBreaker replaces the settings each endpoint's breaker gets (default DefaultBreakerConfig()).
func WithBreaker(breaker BreakerConfig) Option {
	return func(c *config) { c.breaker = breaker }
}

// WithMaxConcurrentCalls sets the bulkhead: calls in flight per endpoint (default 64).
func WithMaxConcurrentCalls(calls int) Option {
	return func(c *config) { c.maxConcurrentCalls = calls }
}

// WithFallbackModel sends a unary call that open breakers refused once more, to model (another
// label or model), without retry or breaker, within the same deadline (default: none).
func WithFallbackModel(model ModelRef) Option {
	return func(c *config) { c.fallback = &model }
}

// DefaultDNSRefresh is how often a DNS name target is resolved again: about as long as DNS
// answers are commonly cached.
const DefaultDNSRefresh = 30 * time.Second

// WithDNSRefresh sets how often a DNS name target is resolved again (default 30 s): addresses
// that appeared get an endpoint, those that vanished lose theirs.
func WithDNSRefresh(interval time.Duration) Option {
	return func(c *config) { c.dnsRefresh = interval }
}

// withLookup replaces the system resolver; for tests.
func withLookup(lookup lookupFunc) Option {
	return func(c *config) { c.lookup = lookup }
}

// WithDialOptions adds grpc-go dial options to every endpoint's connection (e.g. a dialer);
// transport credentials given here override WithTLS and the default plaintext.
func WithDialOptions(options ...grpc.DialOption) Option {
	return func(c *config) { c.dialOptions = append(c.dialOptions, options...) }
}

func newConfig(options []Option) (config, error) {
	c := config{
		defaultDeadline:    DefaultDeadline,
		retry:              DefaultRetryConfig(),
		breaker:            DefaultBreakerConfig(),
		maxConcurrentCalls: DefaultMaxConcurrentCalls,
		dnsRefresh:         DefaultDNSRefresh,
		lookup:             systemLookup,
		now:                time.Now,
		random:             rand.Float64,
	}
	for _, option := range options {
		option(&c)
	}
	if c.defaultDeadline <= 0 {
		return c, fmt.Errorf("swinserve: the default deadline must be positive, was %v", c.defaultDeadline)
	}
	if c.dnsRefresh <= 0 {
		return c, fmt.Errorf("swinserve: the DNS refresh interval must be positive, was %v", c.dnsRefresh)
	}
	if c.maxConcurrentCalls < 1 {
		return c, fmt.Errorf("swinserve: MaxConcurrentCalls must be at least 1, was %d", c.maxConcurrentCalls)
	}
	if err := c.retry.Validate(); err != nil {
		return c, err
	}
	if c.tls != nil {
		if err := c.tls.Validate(); err != nil {
			return c, err
		}
	}
	return c, c.breaker.Validate()
}
