package swinserve

import (
	"context"
	"net"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/test/bufconn"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// fakeClassifier is a hand-written Classifier whose behaviour each test scripts.
type fakeClassifier struct {
	swinservev1.UnimplementedClassifierServer
	classify func(context.Context, *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error)
	stream   func(swinservev1.Classifier_ClassifyStreamServer) error

	mu      sync.Mutex
	calls   int
	streams int
}

func (f *fakeClassifier) Classify(ctx context.Context, request *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	return f.classify(ctx, request)
}

func (f *fakeClassifier) ClassifyStream(stream swinservev1.Classifier_ClassifyStreamServer) error {
	f.mu.Lock()
	f.streams++
	f.mu.Unlock()
	return f.stream(stream)
}

func (f *fakeClassifier) counts() (calls, streams int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.streams
}

// inProcessClient serves fake in-process (no network) and returns a client of it.
func inProcessClient(t *testing.T, fake *fakeClassifier, options ...Option) *Client {
	t.Helper()
	listener := bufconn.Listen(1 << 20)
	server := grpc.NewServer()
	swinservev1.RegisterClassifierServer(server, fake)
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	dialer := grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
		return listener.DialContext(ctx)
	})
	client, err := New("passthrough:///in-process", append(options, WithDialOptions(dialer))...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func answer(request *swinservev1.ClassifyRequest) *swinservev1.ClassifyResponse {
	return &swinservev1.ClassifyResponse{RequestId: request.GetRequestId(), Model: &swinservev1.ResolvedModel{Name: request.GetModel().GetName(), Version: 1}}
}

func onePixelImage() []*swinservev1.Image {
	return []*swinservev1.Image{ImageBytes([]byte("x"))}
}
