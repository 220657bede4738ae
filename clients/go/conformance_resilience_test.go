package conformance

import (
	"context"
	"fmt"
	"iter"
	"os"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
	"swinserve.dev/go/swinserve"
)

var readFile = os.ReadFile

// cycledRequests is reference_pixels_cycled: request i carries row i mod N, id "r<i>".
func (r *runner) cycledRequests(t *testing.T, request caseRequest, withLogits bool) (iter.Seq[*swinservev1.ClassifyRequest], [][]float64) {
	t.Helper()
	if request.Input != "reference_pixels_cycled" {
		t.Fatalf("stream input %q is unknown to this runner", request.Input)
	}
	pixels := r.env.expected.Reference.Pixels
	rows, err := swinserve.ImagesNHWC(pixels.read(t), pixels.Shape)
	if err != nil {
		t.Fatalf("ImagesNHWC: %v", err)
	}
	want := make([][]float64, request.Count)
	for i := range want {
		want[i] = r.env.expected.Reference.Logits[i%len(rows)]
	}
	var options []swinserve.CallOption
	if withLogits {
		options = append(options, swinserve.WithLogits())
	}
	return func(yield func(*swinservev1.ClassifyRequest) bool) {
		for i := range request.Count {
			request := swinserve.NewClassifyRequest(modelRef(request), []*swinservev1.Image{rows[i%len(rows)]},
				append(options, swinserve.WithRequestID(fmt.Sprintf("r%d", i)))...)
			if !yield(request) {
				return
			}
		}
	}, want
}

// answers collects a stream's answers by request id, failing on an error, a stranger or a
// repeat; each answer is checked by check, and after is called with the count so far.
func collect(t *testing.T, responses iter.Seq2[*swinservev1.ClassifyResponse, error], count int, check func(i int, response *swinservev1.ClassifyResponse), after func(answered int)) map[string]bool {
	t.Helper()
	sent := map[string]int{}
	for i := range count {
		sent[fmt.Sprintf("r%d", i)] = i
	}
	seen := map[string]bool{}
	for response, err := range responses {
		if err != nil {
			t.Fatalf("stream failed after %d answers: %v", len(seen), err)
		}
		id := response.GetRequestId()
		i, known := sent[id]
		switch {
		case !known:
			t.Errorf("an answer for request id %q, which was never sent", id)
		case seen[id]:
			t.Errorf("request %q answered twice", id)
		default:
			seen[id] = true
			check(i, response)
		}
		after(len(seen))
	}
	return seen
}

func (r *runner) stream(t *testing.T, c testCase) {
	client := r.client(t, r.server.address(), c.Client)
	requests, want := r.cycledRequests(t, c.Request, c.Expect.Logits != "")
	bound := 0.0
	if c.Expect.Logits != "" {
		if c.Expect.Logits != "reference_logits" {
			t.Fatalf("stream logits %q are unknown to this runner", c.Expect.Logits)
		}
		bound = r.env.maxRelativeError(t, c.Expect.MaxRelativeError)
	}
	ctx := timeout(t, 120*time.Second)
	seen := collect(t, client.ClassifyStream(ctx, requests, c.Request.MaxInFlight), c.Request.Count,
		func(i int, response *swinservev1.ClassifyResponse) {
			if c.Expect.Logits != "" {
				r.checkLogits(t, response.GetRequestId(), response.GetClassifications()[0].GetLogits(), want[i], bound)
			}
		}, func(int) {})
	if len(seen) != c.Expect.Answers {
		t.Errorf("%d unique answers, want %d", len(seen), c.Expect.Answers)
	}
}

func (r *runner) streamRestart(t *testing.T, c testCase) {
	if c.Restart == nil || c.Restart.Signal != "KILL" || !c.Restart.SamePort {
		t.Fatalf("restart %+v: this runner restarts with SIGKILL on the same port", c.Restart)
	}
	client := r.client(t, r.server.address(), c.Client)
	requests, _ := r.cycledRequests(t, c.Request, false)
	ctx := timeout(t, time.Duration(c.Request.DeadlineS*float64(time.Second)))
	var restarted chan error
	seen := collect(t, client.ClassifyStream(ctx, requests, c.Request.MaxInFlight), c.Request.Count,
		func(int, *swinservev1.ClassifyResponse) {},
		func(answered int) {
			if answered == c.Restart.AfterAnswers && restarted == nil {
				// Killed before the next answer is read, so the stream surely breaks mid-way;
				// started again while the client reconnects.
				port := r.server.port
				r.server.kill()
				restarted = make(chan error, 1)
				go func() { restarted <- r.server.start(port) }()
			}
		})
	if restarted == nil {
		t.Fatalf("the stream ended after %d answers, before the restart", len(seen))
	}
	if err := <-restarted; err != nil {
		t.Fatalf("restarting the server: %v", err)
	}
	if len(seen) != c.Expect.Answers {
		t.Errorf("%d requests answered, want each of %d exactly once", len(seen), c.Expect.Answers)
	}
}

// probeCall is one classify of the probe server.
func probeCall(ctx context.Context, client *swinserve.Client) error {
	_, err := client.Classify(ctx, swinserve.Model("mini"), []*swinservev1.Image{swinserve.ImageBytes([]byte("probe"))})
	return err
}

func (r *runner) probe(t *testing.T, c testCase) {
	probe := startProbe(t, c.ProbeAnswers)
	client := r.client(t, probe.address, c.Client)
	ctx := context.Background()
	if c.Call != nil && c.Call.DeadlineMs > 0 {
		ctx = timeout(t, time.Duration(c.Call.DeadlineMs)*time.Millisecond)
	}
	err := probeCall(ctx, client)
	if got := status.Code(err); c.Expect.Code == nil || got != *c.Expect.Code {
		t.Errorf("outcome %v (%v), want %v", got, err, c.Expect.Code)
	}
	attempts := probe.recorded()
	if len(attempts) != c.Expect.Attempts {
		t.Errorf("the probe saw %d attempts, want %d", len(attempts), c.Expect.Attempts)
	}
	if c.Expect.MinGapMs > 0 {
		if len(attempts) < 2 {
			t.Fatalf("no second attempt to measure the gap to")
		}
		if gap := attempts[1].arrived.Sub(attempts[0].arrived); gap < time.Duration(c.Expect.MinGapMs)*time.Millisecond {
			t.Errorf("second attempt %v after the first, want at least %d ms", gap, c.Expect.MinGapMs)
		}
	}
	if bounds := c.Expect.ServerDeadlineMs; bounds != nil {
		if len(attempts) == 0 || !attempts[0].hasDeadline {
			t.Fatalf("the probe saw no deadline")
		}
		if got := float64(attempts[0].deadline) / float64(time.Millisecond); got < bounds.Min || got > bounds.Max {
			t.Errorf("the probe saw %.0f ms left, want %v to %v", got, bounds.Min, bounds.Max)
		}
	}
}

func (r *runner) breaker(t *testing.T, c testCase) {
	probe := startProbe(t, c.ProbeAnswers)
	client := r.client(t, probe.address, c.Client)
	for number, step := range c.Steps {
		if step.SleepMs > 0 {
			time.Sleep(time.Duration(step.SleepMs) * time.Millisecond)
			continue
		}
		var failure error
		for call := range step.Calls {
			err := probeCall(context.Background(), client)
			want := codes.OK
			if step.ExpectCode != nil {
				want = *step.ExpectCode
			}
			if got := status.Code(err); got != want {
				t.Errorf("step %d call %d: %v (%v), want %v", number, call, got, err, want)
			}
			if err != nil {
				failure = err
			}
		}
		if got := len(probe.recorded()); got != step.ExpectAttempts {
			t.Errorf("step %d: the probe saw %d attempts in all, want %d", number, got, step.ExpectAttempts)
		}
		if step.ExpectMessageContains != "" {
			checkStatus(t, failure, status.Code(failure), step.ExpectMessageContains)
		}
		if state := client.Breakers()[0].State.String(); step.ExpectState != "" && state != step.ExpectState {
			t.Errorf("step %d: breaker %s, want %s", number, state, step.ExpectState)
		}
	}
}
