package swinserve

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// ModelRef names a model and, at most one of, a version or a label. Neither: the model's
// default version (the one labelled "stable" if available, else the newest available).
type ModelRef struct {
	Name    string
	Version int64
	Label   string
}

// Model names a model's default version.
func Model(name string) ModelRef { return ModelRef{Name: name} }

// ModelVersion names one version of a model.
func ModelVersion(name string, version int64) ModelRef {
	return ModelRef{Name: name, Version: version}
}

// ModelLabel names the version a label of a model points at.
func ModelLabel(name, label string) ModelRef { return ModelRef{Name: name, Label: label} }

// Spec is the ModelSpec message of the reference.
func (m ModelRef) Spec() *swinservev1.ModelSpec {
	spec := &swinservev1.ModelSpec{Name: m.Name}
	switch {
	case m.Label != "":
		spec.VersionChoice = &swinservev1.ModelSpec_Label{Label: m.Label}
	case m.Version != 0:
		spec.VersionChoice = &swinservev1.ModelSpec_Version{Version: m.Version}
	}
	return spec
}

// CallOption changes one field of a classify request.
type CallOption func(*swinservev1.ClassifyRequest)

// WithTopK asks for k classes per image, best first (default 5).
func WithTopK(k int) CallOption {
	return func(r *swinservev1.ClassifyRequest) { r.TopK = int32(k) }
}

// WithLogits asks for every class's logit as well.
func WithLogits() CallOption {
	return func(r *swinservev1.ClassifyRequest) { r.IncludeLogits = true }
}

// WithRequestID sets the id the response echoes.
func WithRequestID(id string) CallOption {
	return func(r *swinservev1.ClassifyRequest) { r.RequestId = id }
}

// WithRoutingKey keeps requests with the same key on the same arm of an endpoint (A/B split).
func WithRoutingKey(key string) CallOption {
	return func(r *swinservev1.ClassifyRequest) { r.RoutingKey = key }
}

// NewClassifyRequest builds the request Classify sends; ClassifyStream takes these.
func NewClassifyRequest(model ModelRef, images []*swinservev1.Image, options ...CallOption) *swinservev1.ClassifyRequest {
	request := &swinservev1.ClassifyRequest{Model: model.Spec(), Images: images}
	for _, option := range options {
		option(request)
	}
	return request
}

// Classify classifies images with model: one response, one Classification per image in
// request order. The deadline is ctx's, else the client's default; the call is retried,
// guarded and failed as the package comment says.
func (c *Client) Classify(ctx context.Context, model ModelRef, images []*swinservev1.Image, options ...CallOption) (*swinservev1.ClassifyResponse, error) {
	return c.Send(ctx, NewClassifyRequest(model, images, options...))
}

// Send is Classify for a request built by hand. With WithFallbackModel, a call the open
// breakers refused goes once to the fallback model instead.
func (c *Client) Send(ctx context.Context, request *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
	ctx, cancel := c.withCallDeadline(ctx)
	defer cancel()
	var response *swinservev1.ClassifyResponse
	failure := c.protected(ctx, func(ctx context.Context, conn *grpc.ClientConn) *attemptError {
		var trailers metadata.MD
		answer, err := swinservev1.NewClassifierClient(conn).Classify(ctx, request, grpc.Trailer(&trailers))
		if err != nil {
			return &attemptError{err: err, trailers: trailers}
		}
		response = answer
		return nil
	})
	switch {
	case failure == nil:
		return response, nil
	case failure.breakerOpen && c.config.fallback != nil:
		fallback := proto.CloneOf(request)
		fallback.Model = c.config.fallback.Spec()
		return swinservev1.NewClassifierClient(c.endpoints.pick().conn).Classify(ctx, fallback)
	}
	return nil, failure.err
}
