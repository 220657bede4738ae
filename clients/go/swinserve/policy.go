package swinserve

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// PushbackKey is the trailer in which a server says how many milliseconds to wait before
// retrying a call it shed (gRPC's retry design, gRFC A6); a negative value asks for no retry.
const PushbackKey = "grpc-retry-pushback-ms"

// parsePushback reads the pushback from trailers: ok is false when there is none or its value
// is not a whole number of milliseconds (surrounding spaces allowed), as the Java
// RetryPushback.read. A negative wait means "do not retry".
func parsePushback(trailers metadata.MD) (wait time.Duration, ok bool) {
	values := trailers.Get(PushbackKey)
	if len(values) == 0 {
		return 0, false
	}
	millis, err := strconv.ParseInt(strings.TrimSpace(values[0]), 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(millis) * time.Millisecond, true
}

// attemptError is one failed attempt: the status error and the trailers it came with.
type attemptError struct {
	err      error
	trailers metadata.MD
	// local is set when the client refused the attempt itself (breaker open, bulkhead full):
	// it never reached a server, so it is neither retried nor counted.
	local bool
	// breakerOpen is set when the refusal came from an open (or probe-less half-open) breaker.
	breakerOpen bool
}

func (e *attemptError) Error() string              { return e.err.Error() }
func (e *attemptError) Unwrap() error              { return e.err }
func (e *attemptError) GRPCStatus() *status.Status { return status.Convert(e.err) }

func asAttemptError(err error) *attemptError {
	var failure *attemptError
	if errors.As(err, &failure) {
		return failure
	}
	return &attemptError{err: err}
}

// isServerUnwell says whether a failure counts against the endpoint's breaker: UNAVAILABLE,
// DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, and RESOURCE_EXHAUSTED sent as load shedding (with a
// pushback trailer, well-formed or not; without one it is an oversized message, the caller's
// doing). The Java StatusPolicy.isServerUnwell.
func isServerUnwell(failure *attemptError) bool {
	if failure.local {
		return false
	}
	switch status.Code(failure.err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Internal, codes.Unknown:
		return true
	case codes.ResourceExhausted:
		return len(failure.trailers.Get(PushbackKey)) > 0
	}
	return false
}

// isRetryable says whether another attempt may succeed: UNAVAILABLE, and RESOURCE_EXHAUSTED with
// a pushback, unless the pushback is negative. DEADLINE_EXCEEDED is not retried: the deadline
// covers the whole call. The Java StatusPolicy.isRetryable.
func isRetryable(failure *attemptError) bool {
	if failure.local {
		return false
	}
	wait, hasPushback := parsePushback(failure.trailers)
	switch status.Code(failure.err) {
	case codes.Unavailable:
		return !hasPushback || wait >= 0
	case codes.ResourceExhausted:
		return hasPushback && wait >= 0
	}
	return false
}
