package swinserve

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/status"
)

// endpoint is one connection with its own breaker and bulkhead.
type endpoint struct {
	name     string
	conn     *grpc.ClientConn
	breaker  *breaker
	bulkhead chan struct{}

	// active counts attempts (unary or stream) using conn; retired is set once the endpoint has
	// left the set, after which conn is closed as soon as active is zero.
	active  atomic.Int64
	retired atomic.Bool

	mu                    sync.Mutex
	seenReady, seenFailed bool
}

// use marks an attempt on the endpoint's connection; done must follow. It fails, retryably,
// when the endpoint has left the set since it was picked (its connection may be closing).
func (e *endpoint) use() (done func(), err error) {
	e.active.Add(1)
	if e.retired.Load() {
		e.active.Add(-1)
		return nil, status.Errorf(codes.Unavailable, "endpoint %s has left", e.name)
	}
	return func() { e.active.Add(-1) }, nil
}

// unreachable says whether the connection failed to connect, or was seen connected and is no
// longer, as gRPC's round robin judges addresses. One never tried is not judged (it connects on
// its first call); one gone idle after being connected is asked to reconnect.
func (e *endpoint) unreachable() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch e.conn.GetState() {
	case connectivity.Ready:
		e.seenReady = true
		return false
	case connectivity.TransientFailure, connectivity.Shutdown:
		e.seenFailed = true
		return true
	case connectivity.Idle:
		if e.seenReady || e.seenFailed {
			e.conn.Connect()
		}
	}
	return e.seenReady || e.seenFailed
}

// enter takes a place in the bulkhead; false when every place is taken.
func (e *endpoint) enter() bool {
	select {
	case e.bulkhead <- struct{}{}:
		return true
	default:
		return false
	}
}

func (e *endpoint) leave() { <-e.bulkhead }

// endpointTarget is an endpoint wanted: its name, the gRPC target of its connection and, when
// the target is one address of a DNS name, the name's host:port as the connection's authority
// (the server TLS expects; empty: the target's own).
type endpointTarget struct{ name, target, authority string }

// endpoints is the set a client sends to. It picks the endpoint of each attempt round robin,
// passing over one whose breaker is open or whose connection is unreachable while another will
// take the call; when none qualifies, the next whose breaker admits calls is picked anyway,
// else simply the next one (whose breaker then refuses, or lets a probe through): the Java
// Endpoints.pick. The set can change while calls run (replace): it is an immutable slice
// swapped atomically, so a pick sees the old set or the new one. Safe for concurrent use.
type endpoints struct {
	current atomic.Pointer[[]*endpoint]
	next    atomic.Uint64
	open    func(endpointTarget) (*endpoint, error)

	mu      sync.Mutex // guards replace, retired and closed
	retired []*endpoint
	closed  bool
}

func newEndpoints(open func(endpointTarget) (*endpoint, error)) *endpoints {
	s := &endpoints{open: open}
	s.current.Store(&[]*endpoint{})
	return s
}

// all is the set now, in the order endpoints joined.
func (s *endpoints) all() []*endpoint { return *s.current.Load() }

func (s *endpoints) pick() *endpoint {
	all := s.all()
	if len(all) == 1 {
		return all[0]
	}
	start := int((s.next.Add(1) - 1) % uint64(len(all)))
	var admitting *endpoint
	for i := range all {
		candidate := all[(start+i)%len(all)]
		if candidate.breaker.mayAdmit() {
			if !candidate.unreachable() {
				return candidate
			}
			if admitting == nil {
				admitting = candidate
			}
		}
	}
	if admitting != nil {
		return admitting
	}
	return all[start]
}

// replace makes the set wanted: an endpoint already present under its name is kept as it is,
// breaker and connection included; a new name gets a new connection, breaker and bulkhead,
// appended; an endpoint not wanted leaves, and its connection is closed once the attempts on
// it have ended. wanted must not be empty.
func (s *endpoints) replace(wanted []endpointTarget) error {
	if len(wanted) == 0 {
		return fmt.Errorf("swinserve: a client needs at least one endpoint")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	before := s.all()
	byName := map[string]*endpoint{}
	for _, endpoint := range before {
		byName[endpoint.name] = endpoint
	}
	var after []*endpoint
	kept := map[string]bool{}
	for _, want := range wanted {
		if endpoint, ok := byName[want.name]; ok && !kept[want.name] {
			after = append(after, endpoint)
			kept[want.name] = true
		}
	}
	keptCount := len(after)
	for _, want := range wanted {
		if kept[want.name] {
			continue
		}
		endpoint, err := s.open(want)
		if err != nil {
			for _, opened := range after[keptCount:] {
				_ = opened.conn.Close()
			}
			return err
		}
		after = append(after, endpoint)
		kept[want.name] = true
	}
	s.current.Store(&after)
	for _, endpoint := range before {
		if !kept[endpoint.name] {
			s.retire(endpoint)
		}
	}
	return nil
}

// retire closes endpoint's connection once no attempt uses it. Holds mu.
func (s *endpoints) retire(endpoint *endpoint) {
	endpoint.retired.Store(true)
	s.retired = append(s.retired, endpoint)
	go func() {
		for endpoint.active.Load() > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		_ = endpoint.conn.Close()
	}()
}

// close closes every connection, those of retired endpoints too; the set changes no more.
func (s *endpoints) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var errs []error
	for _, endpoint := range append(s.all(), s.retired...) {
		if err := endpoint.conn.Close(); err != nil && status.Code(err) != codes.Canceled {
			errs = append(errs, err)
		}
	}
	s.retired = nil
	return errors.Join(errs...)
}
