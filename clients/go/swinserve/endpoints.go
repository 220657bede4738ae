package swinserve

import (
	"sync"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
)

// endpoint is one connection with its own breaker and bulkhead.
type endpoint struct {
	name     string
	conn     *grpc.ClientConn
	breaker  *breaker
	bulkhead chan struct{}

	mu                    sync.Mutex
	seenReady, seenFailed bool
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

// endpoints picks the endpoint of each attempt round robin, passing over one whose breaker is
// open or whose connection is unreachable while another will take the call; when none
// qualifies, the next whose breaker admits calls is picked anyway, else simply the next one
// (whose breaker then refuses, or lets a probe through). The Java Endpoints.pick.
type endpoints struct {
	all  []*endpoint
	next atomic.Uint64
}

func (s *endpoints) pick() *endpoint {
	if len(s.all) == 1 {
		return s.all[0]
	}
	start := int((s.next.Add(1) - 1) % uint64(len(s.all)))
	var admitting *endpoint
	for i := range s.all {
		candidate := s.all[(start+i)%len(s.all)]
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
	return s.all[start]
}
