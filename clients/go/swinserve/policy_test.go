package swinserve

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func pushback(value string) metadata.MD { return metadata.Pairs(PushbackKey, value) }

func TestPushbackParsing(t *testing.T) {
	for _, tc := range []struct {
		trailers metadata.MD
		wait     time.Duration
		ok       bool
	}{
		{nil, 0, false},
		{metadata.Pairs("other", "5"), 0, false},
		{pushback("700"), 700 * time.Millisecond, true},
		{pushback(" 25 "), 25 * time.Millisecond, true},
		{pushback("-1"), -time.Millisecond, true},
		{pushback("0"), 0, true},
		{pushback("1.5"), 0, false},
		{pushback("soon"), 0, false},
	} {
		wait, ok := parsePushback(tc.trailers)
		if wait != tc.wait || ok != tc.ok {
			t.Errorf("parsePushback(%v) = %v, %v; want %v, %v", tc.trailers, wait, ok, tc.wait, tc.ok)
		}
	}
}

func TestWhatIsRetriedAndWhatCounts(t *testing.T) {
	for _, tc := range []struct {
		name              string
		code              codes.Code
		trailers          metadata.MD
		retryable, unwell bool
	}{
		{"unavailable", codes.Unavailable, nil, true, true},
		{"unavailable with pushback", codes.Unavailable, pushback("10"), true, true},
		{"unavailable, do not retry", codes.Unavailable, pushback("-1"), false, true},
		{"shed", codes.ResourceExhausted, pushback("10"), true, true},
		{"shed, do not retry", codes.ResourceExhausted, pushback("-1"), false, true},
		{"shed, malformed pushback", codes.ResourceExhausted, pushback("x"), false, true},
		{"oversized message", codes.ResourceExhausted, nil, false, false},
		{"deadline", codes.DeadlineExceeded, nil, false, true},
		{"internal", codes.Internal, nil, false, true},
		{"unknown", codes.Unknown, nil, false, true},
		{"bad image", codes.InvalidArgument, nil, false, false},
		{"no model", codes.NotFound, nil, false, false},
		{"cancelled", codes.Canceled, nil, false, false},
	} {
		failure := &attemptError{err: status.Error(tc.code, tc.name), trailers: tc.trailers}
		if got := isRetryable(failure); got != tc.retryable {
			t.Errorf("%s: retryable %v, want %v", tc.name, got, tc.retryable)
		}
		if got := isServerUnwell(failure); got != tc.unwell {
			t.Errorf("%s: counts against the breaker %v, want %v", tc.name, got, tc.unwell)
		}
	}
	local := &attemptError{err: status.Error(codes.Unavailable, "breaker open"), local: true}
	if isRetryable(local) || isServerUnwell(local) {
		t.Error("a refusal by the client itself is retried or counted")
	}
}

func TestRetryWait(t *testing.T) {
	retry := DefaultRetryConfig()
	plain := &attemptError{err: status.Error(codes.Unavailable, "")}
	for _, tc := range []struct {
		attempt int
		random  float64
		want    time.Duration
	}{
		{1, 0.5, 100 * time.Millisecond},
		{2, 0.5, 200 * time.Millisecond},
		{3, 0.5, 400 * time.Millisecond},
		{10, 0.5, 2 * time.Second}, // capped
		{1, 0, 50 * time.Millisecond},
		{1, 0.999, 150 * time.Millisecond},
		{10, 0, time.Second},
	} {
		if got := retryWait(retry, tc.attempt, plain, func() float64 { return tc.random }); got != tc.want {
			t.Errorf("retry %d, random %v: wait %v, want %v", tc.attempt, tc.random, got, tc.want)
		}
	}
	shed := &attemptError{err: status.Error(codes.ResourceExhausted, ""), trailers: pushback("700")}
	if got := retryWait(retry, 1, shed, func() float64 { return 0 }); got != 700*time.Millisecond {
		t.Errorf("the pushback did not replace the backoff: %v", got)
	}
}

func TestRetryBudget(t *testing.T) {
	budget := newRetryBudget(0.5, 2)
	if !budget.tryAcquire() || !budget.tryAcquire() {
		t.Fatal("the budget did not start with its minimum")
	}
	if budget.tryAcquire() {
		t.Fatal("a retry without a token")
	}
	budget.recordCall()
	if budget.tryAcquire() {
		t.Fatal("half a token bought a retry")
	}
	budget.recordCall()
	if !budget.tryAcquire() {
		t.Fatal("two calls at 0.5 did not earn a retry")
	}
	for range 100 {
		budget.recordCall()
	}
	if !budget.tryAcquire() || !budget.tryAcquire() || budget.tryAcquire() {
		t.Fatal("a quiet spell saved up more than the minimum")
	}
}
