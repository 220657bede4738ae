package swinserve

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// fakeResolver answers with what the test sets (loopback addresses only: no network).
type fakeResolver struct {
	mu     sync.Mutex
	answer []string
	err    error
}

func (f *fakeResolver) set(answer []string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer, f.err = answer, err
}

func (f *fakeResolver) lookup(context.Context, string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answer, f.err
}

func endpointNames(client *Client) []string {
	var names []string
	for _, snapshot := range client.Breakers() {
		names = append(names, snapshot.Endpoint)
	}
	return names
}

func TestDNSNameGetsAnEndpointPerAddressKeptCurrent(t *testing.T) {
	resolver := &fakeResolver{answer: []string{"127.0.0.1", "127.0.0.2", "127.0.0.1"}}
	client, err := New("svc:1", withLookup(resolver.lookup), WithDNSRefresh(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if got := endpointNames(client); !slices.Equal(got, []string{"svc/127.0.0.1:1", "svc/127.0.0.2:1"}) {
		t.Fatalf("endpoints %v", got)
	}
	kept := client.endpoints.all()[1]
	left := client.endpoints.all()[0]
	resolver.set([]string{"127.0.0.2", "127.0.0.3"}, nil)
	want := []string{"svc/127.0.0.2:1", "svc/127.0.0.3:1"}
	deadline := time.Now().Add(5 * time.Second)
	for !slices.Equal(endpointNames(client), want) {
		if time.Now().After(deadline) {
			t.Fatalf("endpoints %v, want %v after a refresh", endpointNames(client), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if client.endpoints.all()[0] != kept {
		t.Error("a kept address lost its endpoint (and breaker)")
	}
	if _, err := left.use(); status.Code(err) != codes.Unavailable {
		t.Errorf("an attempt on a departed endpoint: %v, want a retryable UNAVAILABLE", err)
	}
	resolver.set(nil, errors.New("no such host"))
	time.Sleep(50 * time.Millisecond)
	if got := endpointNames(client); !slices.Equal(got, want) {
		t.Errorf("a failed resolution changed the endpoints to %v", got)
	}
}

func TestDNSNameWithOneAddressOrNoneIsOneEndpointToTheName(t *testing.T) {
	for name, resolver := range map[string]*fakeResolver{
		"one address":   {answer: []string{"127.0.0.1"}},
		"not resolving": {err: errors.New("no such host")},
	} {
		t.Run(name, func(t *testing.T) {
			client, err := New("dns:///svc:1", withLookup(resolver.lookup))
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			if got := endpointNames(client); !slices.Equal(got, []string{"dns:///svc:1"}) {
				t.Errorf("endpoints %v, want the name itself", got)
			}
		})
	}
}

func TestStaticListAndLiteralsAreNotResolved(t *testing.T) {
	resolver := &fakeResolver{err: errors.New("must not be asked")}
	client, err := New("127.0.0.1:1,127.0.0.2:2", withLookup(resolver.lookup))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if got := endpointNames(client); !slices.Equal(got, []string{"127.0.0.1:1", "127.0.0.2:2"}) {
		t.Errorf("endpoints %v", got)
	}
}
