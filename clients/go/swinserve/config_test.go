package swinserve

import (
	"strings"
	"testing"
	"time"
)

// The defaults are the Java ClientConfig's; a change here is a change in every SDK.
func TestDefaultsAreTheJavaClientConfigs(t *testing.T) {
	config, err := newConfig(nil)
	if err != nil {
		t.Fatalf("newConfig: %v", err)
	}
	if config.defaultDeadline != 10*time.Second || config.maxConcurrentCalls != 64 {
		t.Errorf("deadline %v, bulkhead %d; want 10s and 64", config.defaultDeadline, config.maxConcurrentCalls)
	}
	wantRetry := RetryConfig{MaxAttempts: 3, InitialBackoff: 100 * time.Millisecond, Multiplier: 2,
		MaxBackoff: 2 * time.Second, Jitter: 0.5, BudgetRatio: 0.1, BudgetMinimum: 10}
	if config.retry != wantRetry {
		t.Errorf("retry %+v, want %+v", config.retry, wantRetry)
	}
	wantBreaker := BreakerConfig{WindowSize: 20, MinimumCalls: 10, FailureRateThresholdPercent: 50,
		SlowCallDuration: 5 * time.Second, SlowCallRateThresholdPercent: 80,
		WaitInOpenState: 10 * time.Second, HalfOpenProbes: 3}
	if config.breaker != wantBreaker {
		t.Errorf("breaker %+v, want %+v", config.breaker, wantBreaker)
	}
}

func TestOptionsMapToSettings(t *testing.T) {
	retry := DefaultRetryConfig()
	retry.MaxAttempts = 7
	breaker := DefaultBreakerConfig()
	breaker.HalfOpenProbes = 1
	config, err := newConfig([]Option{
		WithDefaultDeadline(3 * time.Second), WithRetry(retry), WithBreaker(breaker), WithMaxConcurrentCalls(2),
	})
	if err != nil {
		t.Fatalf("newConfig: %v", err)
	}
	if config.defaultDeadline != 3*time.Second || config.retry.MaxAttempts != 7 ||
		config.breaker.HalfOpenProbes != 1 || config.maxConcurrentCalls != 2 {
		t.Errorf("options not applied: %+v", config)
	}
}

func TestInvalidSettingsAreRefused(t *testing.T) {
	badRetry := DefaultRetryConfig()
	badRetry.Jitter = 1.5
	badBreaker := DefaultBreakerConfig()
	badBreaker.FailureRateThresholdPercent = 0
	for name, tc := range map[string]struct {
		option Option
		says   string
	}{
		"deadline": {WithDefaultDeadline(0), "deadline must be positive"},
		"bulkhead": {WithMaxConcurrentCalls(0), "MaxConcurrentCalls"},
		"retry":    {WithRetry(badRetry), "Jitter"},
		"breaker":  {WithBreaker(badBreaker), "thresholds"},
		"attempts": {WithRetry(RetryConfig{}), "MaxAttempts"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newConfig([]Option{tc.option})
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("error %v, want one saying %q", err, tc.says)
			}
		})
	}
	if _, err := New("127.0.0.1:1", WithMaxConcurrentCalls(-1)); err == nil {
		t.Error("New accepted a negative bulkhead")
	}
}

func TestTargets(t *testing.T) {
	for target, want := range map[string]clientTarget{
		"localhost:8500":             {host: "localhost", port: 8500, single: "localhost:8500"},
		" dns:///svc.ns:8500 ":       {host: "svc.ns", port: 8500, single: "dns:///svc.ns:8500"},
		"10.0.0.1:1, 10.0.0.2:2,":    {addresses: []string{"10.0.0.1:1", "10.0.0.2:2"}},
		"127.0.0.1:8500":             {single: "127.0.0.1:8500"},
		"[::1]:8500":                 {single: "[::1]:8500"},
		"svc:99999":                  {single: "svc:99999"},
		"dns://8.8.8.8/svc:8500":     {single: "dns://8.8.8.8/svc:8500"},
		"unix:///run/swinserve.sock": {single: "unix:///run/swinserve.sock"},
	} {
		got, err := parseTarget(target)
		if err != nil || got.host != want.host || got.port != want.port || got.single != want.single ||
			strings.Join(got.addresses, "|") != strings.Join(want.addresses, "|") {
			t.Errorf("parseTarget(%q) = %+v, %v; want %+v", target, got, err, want)
		}
	}
	for _, bad := range []string{"", "  ", ",", " , "} {
		if _, err := parseTarget(bad); err == nil {
			t.Errorf("parseTarget(%q) accepted", bad)
		}
	}
}
