package swinserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// ClassifyStream sends requests over one ClassifyStream and yields each response once, in the
// order the server answers (pair them by RequestId), then stops; a failure that ends the
// stream for good is yielded once as (nil, err). Breaking out of the loop cancels the stream.
//
// At most maxInFlight requests are ever unanswered and the stream sends only as fast as gRPC's
// flow control lets it, so requests is read no faster than the server answers. Request ids
// must be unique among unanswered requests; an empty one is given a generated id (the request
// is copied first). When the stream breaks with a retryable status (or the server ends it with
// requests unanswered), a new stream is opened on the next endpoint after a backoff, within the
// retry budget and RetryConfig.MaxAttempts-1 reconnections without an answer in between, and
// the unanswered requests are sent again; an answer is yielded only while its request is
// unanswered, so never twice. Each stream attempt asks its endpoint's breaker first and reports
// to it (an answer or a clean end is a success, a break before any answer a failure judged as
// a unary one; never a slow call).
//
// The stream's deadline is ctx's; without one the stream has none (it lasts as long as
// requests does). A reconnection whose wait would end at or after the deadline is not made.
func (c *Client) ClassifyStream(ctx context.Context, requests iter.Seq[*swinservev1.ClassifyRequest], maxInFlight int) iter.Seq2[*swinservev1.ClassifyResponse, error] {
	return func(yield func(*swinservev1.ClassifyResponse, error) bool) {
		if maxInFlight < 1 {
			yield(nil, status.Errorf(codes.InvalidArgument, "swinserve: maxInFlight must be at least 1, was %d", maxInFlight))
			return
		}
		next, stop := iter.Pull(requests)
		defer stop()
		s := &reconnectingStream{
			client:      c,
			maxInFlight: maxInFlight,
			next:        next,
			unanswered:  map[string]*swinservev1.ClassifyRequest{},
			idPrefix:    fmt.Sprintf("go-%08x-", rand.Uint32()),
		}
		s.wake = sync.NewCond(&s.mu)
		if err := s.run(ctx, yield); err != nil {
			yield(nil, err)
		}
	}
}

// reconnectingStream is the state of one ClassifyStream call across its stream attempts. mu
// guards the fields below it; one attempt runs at a time, each with one sender goroutine.
type reconnectingStream struct {
	client      *Client
	maxInFlight int
	next        func() (*swinservev1.ClassifyRequest, bool)
	idPrefix    string

	mu             sync.Mutex
	wake           *sync.Cond // unanswered shrank, input ran out, or the attempt ended
	unanswered     map[string]*swinservev1.ClassifyRequest
	order          []string // ids in send order; answered ones are dropped lazily
	inputExhausted bool
	attempt        int // the current attempt's number; a sender of an older one stops
	failedInARow   int // reconnections since the last answer
	generatedIDs   int
	failure        error // a caller mistake found by the sender; ends the stream
}

// run drives attempts until every request is answered (nil), the consumer stops (nil), or the
// stream fails for good (the error).
func (s *reconnectingStream) run(ctx context.Context, yield func(*swinservev1.ClassifyResponse, error) bool) error {
	s.client.budget.recordCall()
	for reconnection := false; ; reconnection = true {
		failure, finished := s.attemptOnce(ctx, yield)
		if finished {
			return nil
		}
		if failure.local {
			if !reconnection {
				return failure.err
			}
			// A refused reconnection counts as one that failed with UNAVAILABLE: it waits
			// its backoff and tries again, within the budget and attempt limit.
			failure = &attemptError{err: failure.err}
		}
		s.mu.Lock()
		callerMistake := s.failure
		s.mu.Unlock()
		if callerMistake != nil {
			return callerMistake
		}
		wait, ok := s.reconnectWait(ctx, failure)
		if !ok {
			return failure.err
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return failure.err
		}
	}
}

// reconnectWait is the wait before the next attempt; false when none may be made: the failure
// is not retryable, MaxAttempts-1 reconnections in a row have failed, the wait would end at or
// after the deadline, or the budget has no token. The Java ResilienceFactory.reconnectWait.
func (s *reconnectingStream) reconnectWait(ctx context.Context, failure *attemptError) (time.Duration, bool) {
	retry := s.client.config.retry
	s.mu.Lock()
	defer s.mu.Unlock()
	if !isRetryable(failure) && !hasUnansweredDetails(failure.err) {
		return 0, false
	}
	if s.failedInARow >= retry.MaxAttempts-1 {
		return 0, false
	}
	wait := retryWait(retry, s.failedInARow+1, failure, s.client.config.random)
	if deadline, ok := ctx.Deadline(); ok && !s.client.config.now().Add(wait).Before(deadline) {
		return 0, false
	}
	if !s.client.budget.tryAcquire() {
		return 0, false
	}
	s.failedInARow++
	return wait, true
}

// hasUnansweredDetails says whether the server ended the stream listing requests it read but
// will not answer (UnansweredRequests in the status details): worth resending elsewhere.
func hasUnansweredDetails(err error) bool {
	for _, detail := range status.Convert(err).Details() {
		if _, ok := detail.(*swinservev1.UnansweredRequests); ok {
			return true
		}
	}
	return false
}

// attemptOnce runs one stream on the endpoint picked for it: finished when every request has
// been answered or the consumer stopped, else the failure that broke it.
func (s *reconnectingStream) attemptOnce(ctx context.Context, yield func(*swinservev1.ClassifyResponse, error) bool) (*attemptError, bool) {
	endpoint := s.client.endpoints.pick()
	if err := endpoint.breaker.acquire(); err != nil {
		return &attemptError{err: status.Error(codes.Unavailable, err.Error()), local: true}, false
	}
	permit := &breakerPermit{breaker: endpoint.breaker}
	done, err := endpoint.use()
	if err != nil {
		endpoint.breaker.release()
		return &attemptError{err: err}, false
	}
	defer done()
	attemptCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := swinservev1.NewClassifierClient(endpoint.conn).ClassifyStream(attemptCtx)
	if err != nil {
		failure := &attemptError{err: err}
		permit.failed(failure)
		return failure, false
	}
	s.mu.Lock()
	s.attempt++
	number := s.attempt
	s.mu.Unlock()
	senderDone := make(chan struct{})
	go s.send(attemptCtx, cancel, stream, number, senderDone)
	defer func() {
		cancel()
		s.mu.Lock()
		s.attempt++ // the sender of this attempt stops
		s.wake.Broadcast()
		s.mu.Unlock()
		<-senderDone
	}()
	for {
		response, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			permit.succeeded()
			s.mu.Lock()
			left, exhausted := len(s.unanswered), s.inputExhausted
			s.mu.Unlock()
			if left == 0 && exhausted {
				return nil, true
			}
			return &attemptError{err: status.Errorf(codes.Unavailable, "server ended the stream with %d request(s) unanswered", left)}, false
		}
		if err != nil {
			failure := &attemptError{err: err, trailers: stream.Trailer()}
			permit.failed(failure)
			return failure, false
		}
		permit.succeeded()
		s.mu.Lock()
		_, unanswered := s.unanswered[response.GetRequestId()]
		if unanswered {
			delete(s.unanswered, response.GetRequestId())
			s.failedInARow = 0
			if len(s.order) > 4*s.maxInFlight+64 {
				s.compactOrder()
			}
			s.wake.Broadcast()
		}
		s.mu.Unlock()
		if unanswered && !yield(response, nil) {
			return nil, true
		}
	}
}

// send first sends again every request still unanswered, then new ones while fewer than
// maxInFlight are unanswered; it half-closes the stream once requests run out. Send blocks
// while gRPC's flow control says the transport is not ready.
func (s *reconnectingStream) send(ctx context.Context, cancel context.CancelFunc, stream swinservev1.Classifier_ClassifyStreamClient, number int, done chan<- struct{}) {
	defer close(done)
	for _, request := range s.toResend() {
		if stream.Send(request) != nil {
			return
		}
	}
	for {
		s.mu.Lock()
		for s.attempt == number && !s.inputExhausted && len(s.unanswered) >= s.maxInFlight {
			s.wake.Wait()
		}
		if s.attempt != number || ctx.Err() != nil {
			s.mu.Unlock()
			return
		}
		exhausted := s.inputExhausted
		s.mu.Unlock()
		if exhausted {
			_ = stream.CloseSend()
			return
		}
		request, ok := s.next()
		s.mu.Lock()
		if !ok {
			s.inputExhausted = true
			s.mu.Unlock()
			_ = stream.CloseSend()
			return
		}
		request, err := s.admit(request)
		s.mu.Unlock()
		if err != nil {
			cancel()
			return
		}
		if stream.Send(request) != nil {
			return // the receiver sees why
		}
	}
}

// toResend is every unanswered request, in the order first sent.
func (s *reconnectingStream) toResend() []*swinservev1.ClassifyRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compactOrder()
	again := make([]*swinservev1.ClassifyRequest, len(s.order))
	for i, id := range s.order {
		again[i] = s.unanswered[id]
	}
	return again
}

// compactOrder drops answered ids from order. Holds mu.
func (s *reconnectingStream) compactOrder() {
	kept := s.order[:0]
	for _, id := range s.order {
		if _, ok := s.unanswered[id]; ok {
			kept = append(kept, id)
		}
	}
	clear(s.order[len(kept):])
	s.order = kept
}

// admit records a new request as unanswered, generating its id if it has none; a repeated id
// is the caller's mistake and ends the stream. Holds mu.
func (s *reconnectingStream) admit(request *swinservev1.ClassifyRequest) (*swinservev1.ClassifyRequest, error) {
	if request.GetRequestId() == "" {
		request = proto.CloneOf(request)
		s.generatedIDs++
		request.RequestId = fmt.Sprintf("%s%d", s.idPrefix, s.generatedIDs)
	}
	id := request.GetRequestId()
	if _, repeated := s.unanswered[id]; repeated {
		s.failure = status.Errorf(codes.InvalidArgument,
			"swinserve: request_id %q is already in flight: a resumable stream needs unique request ids", id)
		return nil, s.failure
	}
	s.unanswered[id] = request
	s.order = append(s.order, id)
	return request, nil
}
