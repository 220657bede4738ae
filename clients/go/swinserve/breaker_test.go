package swinserve

import (
	"strings"
	"testing"
	"time"
)

// manualClock is a clock the test moves.
type manualClock struct{ now time.Time }

func (c *manualClock) read() time.Time         { return c.now }
func (c *manualClock) advance(d time.Duration) { c.now = c.now.Add(d) }

func newTestBreaker(config BreakerConfig) (*breaker, *manualClock) {
	clock := &manualClock{now: time.Unix(1000, 0)}
	return newBreaker("e1", config, clock.read), clock
}

func smallBreaker() BreakerConfig {
	config := DefaultBreakerConfig()
	config.WindowSize, config.MinimumCalls, config.HalfOpenProbes = 4, 4, 2
	config.WaitInOpenState = time.Second
	return config
}

func call(t *testing.T, b *breaker, failed bool) {
	t.Helper()
	if err := b.acquire(); err != nil {
		t.Fatalf("refused: %v", err)
	}
	b.record(failed, time.Millisecond)
}

func TestBreakerWaitsForMinimumCallsThenOpensAtThreshold(t *testing.T) {
	b, _ := newTestBreaker(smallBreaker())
	call(t, b, true)
	call(t, b, true)
	call(t, b, false)
	if s := b.snapshot(); s.State != BreakerClosed || s.FailureRatePercent != -1 {
		t.Fatalf("opened before the minimum: %+v", s)
	}
	call(t, b, false) // 2 of 4 = 50 %
	if s := b.snapshot(); s.State != BreakerOpen || s.FailureRatePercent != 50 {
		t.Fatalf("did not open at 50 %%: %+v", s)
	}
	err := b.acquire()
	if err == nil || !strings.Contains(err.Error(), "open") {
		t.Fatalf("open breaker let a call through: %v", err)
	}
	if b.snapshot().RejectedCalls != 1 {
		t.Errorf("the refusal was not counted")
	}
}

func TestBreakerWindowSlides(t *testing.T) {
	b, _ := newTestBreaker(smallBreaker())
	call(t, b, true)
	for range 6 {
		call(t, b, false)
	}
	if s := b.snapshot(); s.State != BreakerClosed || s.BufferedCalls != 4 || s.FailedCalls != 0 {
		t.Fatalf("the old failure did not leave the window: %+v", s)
	}
}

func TestBreakerHalfOpensAfterItsWaitAndClosesOnGoodProbes(t *testing.T) {
	b, clock := newTestBreaker(smallBreaker())
	for range 4 {
		call(t, b, true)
	}
	clock.advance(time.Second)
	if b.acquire() == nil {
		t.Fatal("let a call through at the very end of its wait (it must be strictly past)")
	}
	if !b.mayAdmit() {
		t.Error("mayAdmit false once the wait is over")
	}
	clock.advance(time.Millisecond)
	call(t, b, false)
	if s := b.snapshot(); s.State != BreakerHalfOpen {
		t.Fatalf("state %v after one of two probes, want HALF_OPEN", s.State)
	}
	if err := b.acquire(); err != nil {
		t.Fatalf("second probe refused: %v", err)
	}
	if err := b.acquire(); err == nil {
		t.Fatal("a third call let through while half-open with two probes")
	}
	b.record(false, 0)
	if s := b.snapshot(); s.State != BreakerClosed || s.BufferedCalls != 0 {
		t.Fatalf("did not close with a fresh window: %+v", s)
	}
}

func TestBreakerReopensOnFailedProbes(t *testing.T) {
	b, clock := newTestBreaker(smallBreaker())
	for range 4 {
		call(t, b, true)
	}
	clock.advance(2 * time.Second)
	call(t, b, true)
	call(t, b, false) // 1 of 2 = 50 %
	if s := b.snapshot(); s.State != BreakerOpen {
		t.Fatalf("state %v, want OPEN again", s.State)
	}
	if b.mayAdmit() {
		t.Error("a reopened breaker admits calls before its new wait is over")
	}
}

func TestBreakerReleaseGivesBackAProbe(t *testing.T) {
	b, clock := newTestBreaker(smallBreaker())
	for range 4 {
		call(t, b, true)
	}
	clock.advance(2 * time.Second)
	for range 2 {
		if err := b.acquire(); err != nil {
			t.Fatal(err)
		}
	}
	b.release()
	if err := b.acquire(); err != nil {
		t.Fatalf("the released probe was not given back: %v", err)
	}
}

func TestBreakerOpensOnSlowCalls(t *testing.T) {
	config := smallBreaker()
	config.SlowCallDuration = time.Second
	b, _ := newTestBreaker(config)
	for range 4 {
		if err := b.acquire(); err != nil {
			t.Fatal(err)
		}
		b.record(false, time.Second)
	}
	if s := b.snapshot(); s.State != BreakerOpen || s.SlowCallRatePercent != 100 {
		t.Fatalf("four slow calls did not open it: %+v", s)
	}
}

func TestBreakerStateNames(t *testing.T) {
	for state, want := range map[BreakerState]string{BreakerClosed: "CLOSED", BreakerOpen: "OPEN", BreakerHalfOpen: "HALF_OPEN"} {
		if state.String() != want {
			t.Errorf("%d: %q, want %q", int(state), state.String(), want)
		}
	}
}
