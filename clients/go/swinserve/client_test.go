package swinserve

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

func TestBulkheadFullFailsAtOnceAndCountsNothing(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	fake := &fakeClassifier{classify: func(ctx context.Context, r *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		entered <- struct{}{}
		<-release
		return answer(r), nil
	}}
	client := inProcessClient(t, fake, WithMaxConcurrentCalls(1))
	first := make(chan error, 1)
	go func() {
		_, err := client.Classify(context.Background(), Model("m"), onePixelImage())
		first <- err
	}()
	<-entered
	_, err := client.Classify(context.Background(), Model("m"), onePixelImage())
	if status.Code(err) != codes.ResourceExhausted || !strings.Contains(status.Convert(err).Message(), "bulkhead") {
		t.Errorf("second call: %v, want RESOURCE_EXHAUSTED from the bulkhead", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first call: %v", err)
	}
	if calls, _ := fake.counts(); calls != 1 {
		t.Errorf("the server saw %d calls, want 1 (the refused one never left)", calls)
	}
	if s := client.Breakers()[0]; s.BufferedCalls != 1 || s.FailedCalls != 0 {
		t.Errorf("breaker counted the refusal: %+v", s)
	}
}

func TestNoRetryWhoseWaitEndsPastTheDeadline(t *testing.T) {
	fake := &fakeClassifier{classify: func(ctx context.Context, _ *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		_ = grpc.SetTrailer(ctx, metadata.Pairs(PushbackKey, "5000"))
		return nil, status.Error(codes.ResourceExhausted, "queue full")
	}}
	client := inProcessClient(t, fake)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	started := time.Now()
	_, err := client.Classify(ctx, Model("m"), onePixelImage())
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("%v, want the server's RESOURCE_EXHAUSTED", err)
	}
	if took := time.Since(started); took > 500*time.Millisecond {
		t.Errorf("waited %v for a retry that could not happen", took)
	}
	if calls, _ := fake.counts(); calls != 1 {
		t.Errorf("%d attempts, want 1", calls)
	}
}

func TestOpenBreakerFailsWithUnavailableWithoutReachingTheServer(t *testing.T) {
	fake := &fakeClassifier{classify: func(context.Context, *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		return nil, status.Error(codes.Unavailable, "down")
	}}
	breaker := DefaultBreakerConfig()
	breaker.WindowSize, breaker.MinimumCalls = 2, 2
	retry := DefaultRetryConfig()
	retry.MaxAttempts = 3
	retry.InitialBackoff = time.Millisecond
	client := inProcessClient(t, fake, WithBreaker(breaker), WithRetry(retry))
	_, err := client.Classify(context.Background(), Model("m"), onePixelImage())
	message := status.Convert(err).Message()
	if status.Code(err) != codes.Unavailable || !strings.Contains(message, "breaker") || !strings.Contains(message, "open") {
		t.Fatalf("%v, want UNAVAILABLE saying the breaker is open", err)
	}
	if calls, _ := fake.counts(); calls != 2 {
		t.Errorf("the server saw %d attempts, want 2: the third was refused by the open breaker and not retried", calls)
	}
	if state := client.Breakers()[0].State; state != BreakerOpen {
		t.Errorf("breaker %v, want OPEN", state)
	}
}

func TestRetriesStopWhenTheBudgetIsSpent(t *testing.T) {
	fake := &fakeClassifier{classify: func(context.Context, *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		return nil, status.Error(codes.Unavailable, "down")
	}}
	retry := DefaultRetryConfig()
	retry.InitialBackoff, retry.BudgetRatio, retry.BudgetMinimum = time.Millisecond, 0, 1
	client := inProcessClient(t, fake, WithRetry(retry), WithBreaker(BreakerConfig{
		WindowSize: 100, MinimumCalls: 100, FailureRateThresholdPercent: 50, SlowCallDuration: time.Minute,
		SlowCallRateThresholdPercent: 100, WaitInOpenState: time.Second, HalfOpenProbes: 1,
	}))
	for range 2 {
		if _, err := client.Classify(context.Background(), Model("m"), onePixelImage()); status.Code(err) != codes.Unavailable {
			t.Fatalf("%v, want UNAVAILABLE", err)
		}
	}
	if calls, _ := fake.counts(); calls != 3 {
		t.Errorf("%d attempts, want 3: one retry from the only token, then none", calls)
	}
}

func TestCallerMistakesAreNotRetriedAndAnswerTheBreaker(t *testing.T) {
	fake := &fakeClassifier{classify: func(context.Context, *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		return nil, status.Error(codes.NotFound, "no model m")
	}}
	client := inProcessClient(t, fake)
	_, err := client.Classify(context.Background(), Model("m"), onePixelImage())
	if status.Code(err) != codes.NotFound {
		t.Fatalf("%v, want NOT_FOUND", err)
	}
	if s := client.Breakers()[0]; s.BufferedCalls != 1 || s.FailedCalls != 0 {
		t.Errorf("breaker %+v, want one answered call and no failure", s)
	}
}

func TestOpenBreakersSendTheCallToTheFallbackModelOnce(t *testing.T) {
	fake := &fakeClassifier{classify: func(_ context.Context, r *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		if r.GetModel().GetName() == "backup" {
			return answer(r), nil
		}
		return nil, status.Error(codes.Unavailable, "down")
	}}
	breaker := DefaultBreakerConfig()
	breaker.WindowSize, breaker.MinimumCalls = 2, 2
	retry := DefaultRetryConfig()
	retry.MaxAttempts = 1
	client := inProcessClient(t, fake, WithBreaker(breaker), WithRetry(retry), WithFallbackModel(ModelLabel("backup", "stable")))
	for range 2 {
		if _, err := client.Classify(context.Background(), Model("m"), onePixelImage()); status.Code(err) != codes.Unavailable {
			t.Fatalf("%v, want the server's UNAVAILABLE (a failure is not sent to the fallback)", err)
		}
	}
	response, err := client.Classify(context.Background(), Model("m"), onePixelImage())
	if err != nil || response.GetModel().GetName() != "backup" {
		t.Fatalf("%v, %v; want the fallback model's answer", response, err)
	}
	if calls, _ := fake.counts(); calls != 3 {
		t.Errorf("the server saw %d calls, want 3 (two failures, one fallback)", calls)
	}
}
