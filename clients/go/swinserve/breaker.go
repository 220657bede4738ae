package swinserve

import (
	"fmt"
	"sync"
	"time"
)

// BreakerState is where an endpoint's breaker stands.
type BreakerState int

const (
	// BreakerClosed lets every call through and counts outcomes.
	BreakerClosed BreakerState = iota
	// BreakerOpen refuses every call until its wait is over.
	BreakerOpen
	// BreakerHalfOpen lets HalfOpenProbes calls through, whose outcomes decide what comes next.
	BreakerHalfOpen
)

// String gives the names the Java client and the conformance suite use.
func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "CLOSED"
	case BreakerOpen:
		return "OPEN"
	case BreakerHalfOpen:
		return "HALF_OPEN"
	}
	return fmt.Sprintf("BreakerState(%d)", int(s))
}

// BreakerSnapshot is one endpoint's breaker at a moment.
type BreakerSnapshot struct {
	Endpoint string
	State    BreakerState
	// FailureRatePercent and SlowCallRatePercent are -1 until the window holds the minimum
	// number of calls.
	FailureRatePercent  float64
	SlowCallRatePercent float64
	// BufferedCalls, FailedCalls: calls in the window, and those that failed in a way that counts.
	BufferedCalls int
	FailedCalls   int
	// RejectedCalls: calls refused since the breaker was made.
	RejectedCalls int64
}

// outcomeWindow is the last size outcomes, as counts.
type outcomeWindow struct {
	size, minimum       int
	failed, slow        []bool
	next, count         int
	failures, slowCalls int
}

func newOutcomeWindow(size, minimum int) *outcomeWindow {
	return &outcomeWindow{size: size, minimum: min(minimum, size), failed: make([]bool, size), slow: make([]bool, size)}
}

func (w *outcomeWindow) add(failed, slow bool) {
	if w.count == w.size {
		w.failures -= boolToInt(w.failed[w.next])
		w.slowCalls -= boolToInt(w.slow[w.next])
	} else {
		w.count++
	}
	w.failed[w.next], w.slow[w.next] = failed, slow
	w.failures += boolToInt(failed)
	w.slowCalls += boolToInt(slow)
	w.next = (w.next + 1) % w.size
}

// rates are percentages, -1 while the window holds fewer than its minimum.
func (w *outcomeWindow) rates() (failureRate, slowRate float64) {
	if w.count < w.minimum {
		return -1, -1
	}
	return float64(w.failures) * 100 / float64(w.count), float64(w.slowCalls) * 100 / float64(w.count)
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// breaker is one endpoint's circuit breaker with Resilience4j's count-based semantics, which
// the Java client uses: CLOSED counts the last WindowSize outcomes and opens once the window
// holds MinimumCalls and the failure or slow-call rate reaches its threshold; OPEN refuses
// calls until WaitInOpenState has passed (strictly), then the next call that asks moves it to
// HALF_OPEN; HALF_OPEN admits HalfOpenProbes calls and, once all have reported, opens again if
// their failure or slow rate reaches the threshold, else closes with an empty window. Outcomes
// that arrive while OPEN (calls admitted before it opened) are counted in the window it opened
// with. Time comes from now. Safe for concurrent use.
type breaker struct {
	mu            sync.Mutex
	endpoint      string
	config        BreakerConfig
	now           func() time.Time
	state         BreakerState
	window        *outcomeWindow
	openUntil     time.Time
	probesLeft    int
	rejectedCalls int64
}

func newBreaker(endpoint string, config BreakerConfig, now func() time.Time) *breaker {
	return &breaker{
		endpoint: endpoint,
		config:   config,
		now:      now,
		window:   newOutcomeWindow(config.WindowSize, config.MinimumCalls),
	}
}

// errBreakerRefused is a breaker's refusal; the caller turns it into UNAVAILABLE.
type errBreakerRefused struct {
	endpoint string
	state    BreakerState
}

func (e errBreakerRefused) Error() string {
	if e.state == BreakerHalfOpen {
		return fmt.Sprintf("circuit breaker of endpoint %s is half-open, its probes taken, and does not permit further calls", e.endpoint)
	}
	return fmt.Sprintf("circuit breaker of endpoint %s is open and does not permit further calls", e.endpoint)
}

// acquire asks for permission for one call, which must then report exactly once through
// record or release. A refusal is counted.
func (b *breaker) acquire() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerOpen && b.now().After(b.openUntil) {
		b.toHalfOpen()
	}
	switch b.state {
	case BreakerOpen:
		b.rejectedCalls++
		return errBreakerRefused{b.endpoint, b.state}
	case BreakerHalfOpen:
		if b.probesLeft == 0 {
			b.rejectedCalls++
			return errBreakerRefused{b.endpoint, b.state}
		}
		b.probesLeft--
	}
	return nil
}

// mayAdmit says whether the breaker lets calls through now (not open, or its wait is over),
// without taking a permit or counting a refusal; a half-open one may still refuse.
func (b *breaker) mayAdmit() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state != BreakerOpen || !b.now().Before(b.openUntil)
}

// record reports an admitted call's outcome: failed (a server-unwell failure) and how long it
// took (0 for streams, which are never slow).
func (b *breaker) record(failed bool, took time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.window.add(failed, took >= b.config.SlowCallDuration)
	failureRate, slowRate := b.window.rates()
	if failureRate < 0 {
		return
	}
	exceeded := failureRate >= b.config.FailureRateThresholdPercent ||
		slowRate >= b.config.SlowCallRateThresholdPercent
	switch b.state {
	case BreakerClosed:
		if exceeded {
			b.toOpen()
		}
	case BreakerHalfOpen:
		if exceeded {
			b.toOpen()
		} else {
			b.state = BreakerClosed
			b.window = newOutcomeWindow(b.config.WindowSize, b.config.MinimumCalls)
		}
	}
}

// release gives back the permission of a call that never reached the server (bulkhead full,
// cancelled), counting nothing.
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerHalfOpen && b.probesLeft < b.config.HalfOpenProbes {
		b.probesLeft++
	}
}

func (b *breaker) toOpen() {
	b.state = BreakerOpen
	b.openUntil = b.now().Add(b.config.WaitInOpenState)
}

func (b *breaker) toHalfOpen() {
	b.state = BreakerHalfOpen
	b.probesLeft = b.config.HalfOpenProbes
	b.window = newOutcomeWindow(b.config.HalfOpenProbes, b.config.HalfOpenProbes)
}

func (b *breaker) snapshot() BreakerSnapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	failureRate, slowRate := b.window.rates()
	return BreakerSnapshot{
		Endpoint:            b.endpoint,
		State:               b.state,
		FailureRatePercent:  failureRate,
		SlowCallRatePercent: slowRate,
		BufferedCalls:       b.window.count,
		FailedCalls:         b.window.failures,
		RejectedCalls:       b.rejectedCalls,
	}
}
