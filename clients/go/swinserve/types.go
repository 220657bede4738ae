package swinserve

import swinservev1 "swinserve.dev/go/api/swinserve/v1"

// The generated messages a caller handles most, under this package's name so that a first
// program needs one import. They are the same types as in swinserve.dev/go/api/swinserve/v1.
type (
	// Image is one image of a request: encoded file bytes or preprocessed pixels.
	Image = swinservev1.Image
	// ClassifyRequest is what Classify and ClassifyStream send.
	ClassifyRequest = swinservev1.ClassifyRequest
	// ClassifyResponse is the answer: one Classification per image, in request order.
	ClassifyResponse = swinservev1.ClassifyResponse
)
