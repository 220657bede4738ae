// Package conformance runs clients/conformance/cases.json against the Go client: one subtest
// per case, TestConformance/<id>, against a real `swinserve serve` it starts on port 0 and, for
// the resilience cases, a probe server it hosts in-process. See clients/conformance/README.md.
package conformance

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/health/grpc_health_v1"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
	"swinserve.dev/go/swinserve"
)

func TestConformance(t *testing.T) {
	env := loadEnvironment(t)
	server := startServer(t, env, nil)
	t.Cleanup(func() { server.stopAndReport(t) })
	r := &runner{env: env, server: server}
	kinds := map[string]func(*testing.T, testCase){
		"health":         r.health,
		"models":         r.models,
		"classify":       r.classify,
		"classify_each":  r.classifyEach,
		"set_label":      r.setLabel,
		"classify_error": r.classifyError,
		"stream":         r.stream,
		"stream_restart": r.streamRestart,
		"failover":       r.failover,
		"probe":          r.probe,
		"breaker":        r.breaker,
		"tls":            r.mutualTLS,
	}
	for _, c := range env.suite.Cases {
		t.Run(c.ID, func(t *testing.T) {
			run, ok := kinds[c.Kind]
			if !ok {
				t.Fatalf("case kind %q is unknown to this runner", c.Kind)
			}
			run(t, c)
		})
	}
}

type runner struct {
	env    environment
	server *realServer
}

// client makes a client of target with a case's settings, closed when the test ends.
func (r *runner) client(t *testing.T, target string, settings *clientSettings) *swinserve.Client {
	t.Helper()
	client, err := swinserve.New(target, r.options(t, settings)...)
	if err != nil {
		t.Fatalf("swinserve.New(%q): %v", target, err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// options are a case's client settings as the client's options.
func (r *runner) options(t *testing.T, settings *clientSettings) []swinserve.Option {
	t.Helper()
	var options []swinserve.Option
	if settings != nil {
		if settings.DefaultDeadlineMs > 0 {
			options = append(options, swinserve.WithDefaultDeadline(time.Duration(settings.DefaultDeadlineMs)*time.Millisecond))
		}
		if s := settings.Retry; s != nil {
			retry := swinserve.DefaultRetryConfig()
			setIfGiven(&retry.MaxAttempts, s.MaxAttempts)
			setDurationIfGiven(&retry.InitialBackoff, s.InitialBackoffMs)
			setDurationIfGiven(&retry.MaxBackoff, s.MaxBackoffMs)
			setIfGiven(&retry.BudgetMinimum, s.BudgetMinimum)
			options = append(options, swinserve.WithRetry(retry))
		}
		if s := settings.Breaker; s != nil {
			breaker := swinserve.DefaultBreakerConfig()
			setIfGiven(&breaker.WindowSize, s.WindowSize)
			setIfGiven(&breaker.MinimumCalls, s.MinimumCalls)
			if s.FailureRateThresholdPercent > 0 {
				breaker.FailureRateThresholdPercent = s.FailureRateThresholdPercent
			}
			setDurationIfGiven(&breaker.WaitInOpenState, s.WaitInOpenStateMs)
			setIfGiven(&breaker.HalfOpenProbes, s.HalfOpenProbes)
			options = append(options, swinserve.WithBreaker(breaker))
		}
		if s := settings.TLS; s != nil {
			options = append(options, swinserve.WithTLS(swinserve.TLSConfig{
				TrustedCAs: r.env.tlsFile(t, s.TrustedCAs),
				CertChain:  r.env.tlsFile(t, s.CertChain),
				PrivateKey: r.env.tlsFile(t, s.PrivateKey),
			}))
		}
	}
	return options
}

func setIfGiven(field *int, value int) {
	if value != 0 {
		*field = value
	}
}

func setDurationIfGiven(field *time.Duration, millis int) {
	if millis != 0 {
		*field = time.Duration(millis) * time.Millisecond
	}
}

func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func (r *runner) health(t *testing.T, c testCase) {
	got, err := r.client(t, r.server.address(), c.Client).Health(timeout(t, 10*time.Second), "")
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	want, known := grpc_health_v1.HealthCheckResponse_ServingStatus_value[c.Expect.Status]
	if !known {
		t.Fatalf("health status %q is unknown to this runner", c.Expect.Status)
	}
	if got != grpc_health_v1.HealthCheckResponse_ServingStatus(want) {
		t.Fatalf("health status %v, want %s", got, c.Expect.Status)
	}
}

func (r *runner) modelStatus(t *testing.T, client *swinserve.Client, name string) *swinservev1.ModelStatus {
	t.Helper()
	models, err := client.Models(timeout(t, 10*time.Second))
	if err != nil {
		t.Fatalf("Models: %v", err)
	}
	for _, model := range models {
		if model.GetName() == name {
			return model
		}
	}
	t.Fatalf("Models lists no %q among %d models", name, len(models))
	return nil
}

func (r *runner) models(t *testing.T, c testCase) {
	model := r.modelStatus(t, r.client(t, r.server.address(), c.Client), c.Expect.Model)
	var available []int64
	for _, version := range model.GetVersions() {
		if version.GetState() == swinservev1.VersionState_AVAILABLE {
			available = append(available, version.GetVersion())
		}
	}
	slices.Sort(available)
	if !slices.Equal(available, c.Expect.AvailableVersions) {
		t.Errorf("available versions %v, want %v", available, c.Expect.AvailableVersions)
	}
	if !maps.Equal(model.GetLabels(), c.Expect.Labels) {
		t.Errorf("labels %v, want %v", model.GetLabels(), c.Expect.Labels)
	}
	if model.GetDefaultVersion() != c.Expect.DefaultVersion {
		t.Errorf("default version %d, want %d", model.GetDefaultVersion(), c.Expect.DefaultVersion)
	}
}

func (r *runner) failover(t *testing.T, c testCase) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("binding a port to leave dead: %v", err)
	}
	deadPort := fmt.Sprint(dead.Addr().(*net.TCPAddr).Port)
	_ = dead.Close()
	target := strings.NewReplacer("DEAD_PORT", deadPort, "LIVE_PORT", fmt.Sprint(r.server.port)).Replace(c.Target)
	client := r.client(t, target, c.Client)
	images, _ := r.input(t, c.Request)
	failed := 0
	for call := range c.Request.Calls {
		if _, err := client.Classify(timeout(t, 30*time.Second), modelRef(c.Request), images); err != nil {
			failed++
			t.Errorf("call %d: %v", call, err)
		}
	}
	if c.Expect.AllSucceed && failed > 0 {
		t.Errorf("%d of %d calls failed", failed, c.Request.Calls)
	}
}
