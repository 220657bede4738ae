package swinserve

import (
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// breakerPermit is a breaker's permission for one stream attempt and the single report of how
// it went; later reports are ignored, so callers may report freely. Outcomes carry no duration:
// a stream lives as long as its caller sends, so its length says nothing of the server (the
// Java BreakerPermit).
type breakerPermit struct {
	breaker *breaker
	once    sync.Once
}

// succeeded: the stream was answered, or ended well.
func (p *breakerPermit) succeeded() {
	p.once.Do(func() { p.breaker.record(false, 0) })
}

// failed: the stream broke before any answer; judged as a unary failure is.
func (p *breakerPermit) failed(failure *attemptError) {
	p.once.Do(func() {
		if status.Code(failure.err) == codes.Canceled {
			p.breaker.release()
			return
		}
		p.breaker.record(isServerUnwell(failure), 0)
	})
}
