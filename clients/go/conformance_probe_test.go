package conformance

import (
	"context"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// probeServer stands in for a server that misbehaves on cue: each Classify attempt is recorded
// (arrival, remaining deadline) and answered with the next scripted answer, OK past the end.
type probeServer struct {
	swinservev1.UnimplementedClassifierServer
	answers  []probeAnswer
	mu       sync.Mutex
	attempts []probeAttempt
	address  string
}

type probeAttempt struct {
	arrived     time.Time // monotonic
	deadline    time.Duration
	hasDeadline bool
}

// startProbe serves on 127.0.0.1, port 0, until the test ends.
func startProbe(t *testing.T, answers []probeAnswer) *probeServer {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("probe server: %v", err)
	}
	probe := &probeServer{answers: answers, address: listener.Addr().String()}
	server := grpc.NewServer()
	swinservev1.RegisterClassifierServer(server, probe)
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	return probe
}

func (p *probeServer) Classify(ctx context.Context, request *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
	attempt := probeAttempt{arrived: time.Now()}
	if deadline, ok := ctx.Deadline(); ok {
		attempt.deadline, attempt.hasDeadline = time.Until(deadline), true
	}
	p.mu.Lock()
	p.attempts = append(p.attempts, attempt)
	number := len(p.attempts)
	p.mu.Unlock()
	if number <= len(p.answers) && p.answers[number-1].Code != codes.OK {
		answer := p.answers[number-1]
		if answer.PushbackMs != nil {
			_ = grpc.SetTrailer(ctx, metadata.Pairs("grpc-retry-pushback-ms", strconv.Itoa(*answer.PushbackMs)))
		}
		return nil, status.Error(answer.Code, answer.Message)
	}
	response := &swinservev1.ClassifyResponse{
		RequestId: request.GetRequestId(),
		Model:     &swinservev1.ResolvedModel{Name: request.GetModel().GetName(), Version: 1},
	}
	for range request.GetImages() {
		response.Classifications = append(response.Classifications, &swinservev1.Classification{
			Classes: []*swinservev1.ClassScore{{Index: 0, Label: "probe", Score: 1}},
		})
	}
	return response, nil
}

func (p *probeServer) recorded() []probeAttempt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]probeAttempt(nil), p.attempts...)
}
