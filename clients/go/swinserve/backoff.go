package swinserve

import (
	"math"
	"sync"
	"time"
)

// retryWait is the wait before retry number attempt (1 for the first retry): the server's
// pushback when it sent a non-negative one (it knows its queue better), else exponential
// backoff with jitter; random yields values in [0, 1). The Java Backoff.
func retryWait(retry RetryConfig, attempt int, failure *attemptError, random func() float64) time.Duration {
	if wait, ok := parsePushback(failure.trailers); ok && wait >= 0 {
		return wait
	}
	base := math.Min(
		float64(retry.MaxBackoff.Milliseconds()),
		float64(retry.InitialBackoff.Milliseconds())*math.Pow(retry.Multiplier, float64(attempt-1)))
	jittered := base * (1 - retry.Jitter + 2*retry.Jitter*random())
	return time.Duration(math.Max(1, math.Round(jittered))) * time.Millisecond
}

// retryBudget is a token bucket that keeps retries from multiplying load in an outage: every
// call earns ratio tokens, every retry spends one, and a retry without a whole token is not
// made. It starts with, and holds at most, minimum tokens (at least one). No clock: the budget
// follows traffic, not time. Safe for concurrent use. The Java RetryBudget.
type retryBudget struct {
	mu       sync.Mutex
	ratio    float64
	capacity float64
	tokens   float64
}

func newRetryBudget(ratio float64, minimum int) *retryBudget {
	return &retryBudget{ratio: ratio, capacity: math.Max(1, float64(minimum)), tokens: float64(minimum)}
}

// recordCall earns ratio tokens for a call (not a retry).
func (b *retryBudget) recordCall() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = math.Min(b.capacity, b.tokens+b.ratio)
}

// tryAcquire spends a token for one retry; false, spending nothing, without a whole token.
func (b *retryBudget) tryAcquire() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
