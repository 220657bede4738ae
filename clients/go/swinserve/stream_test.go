package swinserve

import (
	"context"
	"fmt"
	"io"
	"iter"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

func requestsWithIDs(ids ...string) iter.Seq[*swinservev1.ClassifyRequest] {
	return func(yield func(*swinservev1.ClassifyRequest) bool) {
		for _, id := range ids {
			if !yield(NewClassifyRequest(Model("m"), onePixelImage(), WithRequestID(id))) {
				return
			}
		}
	}
}

// echoStream answers every request it reads, a little later.
type echoStream struct{}

func (e *echoStream) serve(stream swinservev1.Classifier_ClassifyStreamServer) error {
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
		if err := stream.Send(answer(request)); err != nil {
			return err
		}
	}
}

func TestStreamGeneratesMissingIDsAndKeepsTheInFlightBound(t *testing.T) {
	echo := &echoStream{}
	client := inProcessClient(t, &fakeClassifier{stream: echo.serve})
	ids := make([]string, 20) // all empty: the client generates them
	seen := map[string]bool{}
	for response, err := range client.ClassifyStream(context.Background(), requestsWithIDs(ids...), 3) {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		if response.GetRequestId() == "" || seen[response.GetRequestId()] {
			t.Fatalf("request id %q empty or repeated", response.GetRequestId())
		}
		seen[response.GetRequestId()] = true
	}
	if len(seen) != 20 {
		t.Errorf("%d answers, want 20", len(seen))
	}
}

// The server sees at most maxInFlight requests it has not answered: it answers only when no
// request has come for 20 ms, the oldest first.
func TestStreamNeverHasMoreThanMaxInFlightUnanswered(t *testing.T) {
	var mu sync.Mutex
	maxUnanswered := 0
	fake := &fakeClassifier{stream: func(stream swinservev1.Classifier_ClassifyStreamServer) error {
		var pending []*swinservev1.ClassifyRequest
		received := make(chan *swinservev1.ClassifyRequest)
		go func() {
			defer close(received)
			for {
				request, err := stream.Recv()
				if err != nil {
					return
				}
				received <- request
			}
		}()
		for {
			select {
			case request, ok := <-received:
				if !ok {
					for _, p := range pending {
						_ = stream.Send(answer(p))
					}
					return nil
				}
				pending = append(pending, request)
				mu.Lock()
				maxUnanswered = max(maxUnanswered, len(pending))
				mu.Unlock()
			case <-time.After(20 * time.Millisecond):
				if len(pending) > 0 {
					if err := stream.Send(answer(pending[0])); err != nil {
						return err
					}
					pending = pending[1:]
				}
			}
		}
	}}
	client := inProcessClient(t, fake)
	ids := make([]string, 12)
	for i := range ids {
		ids[i] = fmt.Sprintf("r%d", i)
	}
	answers := 0
	for _, err := range client.ClassifyStream(context.Background(), requestsWithIDs(ids...), 4) {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		answers++
	}
	if answers != 12 {
		t.Errorf("%d answers, want 12", answers)
	}
	if maxUnanswered > 4 || maxUnanswered < 2 {
		t.Errorf("the server held %d unanswered requests at most, want at most maxInFlight (4) and more than one", maxUnanswered)
	}
}

func TestStreamRefusesARepeatedRequestID(t *testing.T) {
	hold := make(chan struct{})
	defer close(hold)
	fake := &fakeClassifier{stream: func(stream swinservev1.Classifier_ClassifyStreamServer) error {
		select { // answer nothing, so the first "a" is still unanswered when the second comes
		case <-hold:
		case <-stream.Context().Done():
		}
		return nil
	}}
	client := inProcessClient(t, fake)
	var failure error
	for _, err := range client.ClassifyStream(context.Background(), requestsWithIDs("a", "a"), 4) {
		failure = err
	}
	if status.Code(failure) != codes.InvalidArgument {
		t.Fatalf("%v, want INVALID_ARGUMENT for the repeated id", failure)
	}
}

func TestStreamMaxInFlightMustBePositive(t *testing.T) {
	client := inProcessClient(t, &fakeClassifier{})
	for _, err := range client.ClassifyStream(context.Background(), requestsWithIDs("a"), 0) {
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("%v, want INVALID_ARGUMENT", err)
		}
		return
	}
	t.Fatal("no error yielded")
}

// The first stream answers r0 twice and breaks with UNAVAILABLE; the second gets r1 and r2
// again, answers r0 once more and everything it reads: the caller sees each once.
func TestStreamResendsUnansweredAfterABreakAndNeverDeliversTwice(t *testing.T) {
	var mu sync.Mutex
	var resent []string
	fake := &fakeClassifier{}
	fake.stream = func(stream swinservev1.Classifier_ClassifyStreamServer) error {
		_, number := fake.counts()
		if number == 1 {
			for range 3 {
				if _, err := stream.Recv(); err != nil {
					return err
				}
			}
			r0 := &swinservev1.ClassifyRequest{RequestId: "r0", Model: Model("m").Spec()}
			_ = stream.Send(answer(r0))
			_ = stream.Send(answer(r0))
			return status.Error(codes.Unavailable, "shutting down")
		}
		_ = stream.Send(&swinservev1.ClassifyResponse{RequestId: "r0"})
		for {
			request, err := stream.Recv()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			mu.Lock()
			resent = append(resent, request.GetRequestId())
			mu.Unlock()
			if err := stream.Send(answer(request)); err != nil {
				return err
			}
		}
	}
	retry := DefaultRetryConfig()
	retry.InitialBackoff = time.Millisecond
	client := inProcessClient(t, fake, WithRetry(retry))
	count := map[string]int{}
	for response, err := range client.ClassifyStream(context.Background(), requestsWithIDs("r0", "r1", "r2", "r3"), 3) {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		count[response.GetRequestId()]++
	}
	for _, id := range []string{"r0", "r1", "r2", "r3"} {
		if count[id] != 1 {
			t.Errorf("%s delivered %d times, want once", id, count[id])
		}
	}
	if len(resent) < 2 || resent[0] != "r1" || resent[1] != "r2" {
		t.Errorf("the second stream got %v first, want the unanswered r1, r2 resent in order", resent)
	}
}

func TestStreamFailsForGoodOnACallerMistake(t *testing.T) {
	fake := &fakeClassifier{stream: func(stream swinservev1.Classifier_ClassifyStreamServer) error {
		return status.Error(codes.PermissionDenied, "no")
	}}
	client := inProcessClient(t, fake)
	errors := 0
	for _, err := range client.ClassifyStream(context.Background(), requestsWithIDs("a"), 1) {
		if status.Code(err) != codes.PermissionDenied {
			t.Fatalf("%v, want PERMISSION_DENIED", err)
		}
		errors++
	}
	if _, streams := fake.counts(); errors != 1 || streams != 1 {
		t.Errorf("%d errors over %d streams, want 1 over 1 (no reconnection)", errors, streams)
	}
}

func TestBreakingOutOfTheLoopCancelsTheStream(t *testing.T) {
	cancelled := make(chan struct{})
	fake := &fakeClassifier{stream: func(stream swinservev1.Classifier_ClassifyStreamServer) error {
		for {
			request, err := stream.Recv()
			if err != nil {
				close(cancelled)
				return err
			}
			_ = stream.Send(answer(request))
		}
	}}
	client := inProcessClient(t, fake)
	endless := func(yield func(*swinservev1.ClassifyRequest) bool) {
		for i := 0; ; i++ {
			if !yield(NewClassifyRequest(Model("m"), onePixelImage(), WithRequestID(fmt.Sprint(i)))) {
				return
			}
		}
	}
	for range client.ClassifyStream(context.Background(), endless, 2) {
		break
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's stream was not cancelled")
	}
}
