package conformance

import (
	"fmt"
	"maps"
	"math"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
	"swinserve.dev/go/swinserve"
)

// input is a request's images and, for reference pixels, the rows they are.
func (r *runner) input(t *testing.T, request caseRequest) ([]*swinservev1.Image, []int) {
	t.Helper()
	switch request.Input {
	case "reference_pixels":
		pixels := r.env.expected.Reference.Pixels
		all, err := swinserve.ImagesNHWC(pixels.read(t), pixels.Shape)
		if err != nil {
			t.Fatalf("ImagesNHWC: %v", err)
		}
		rows := request.Rows
		if rows == nil {
			for row := range all {
				rows = append(rows, row)
			}
		}
		images := make([]*swinservev1.Image, len(rows))
		for i, row := range rows {
			images[i] = all[row]
		}
		return images, rows
	case "image_files":
		var images []*swinservev1.Image
		for _, fixture := range r.env.expected.Images {
			image, err := swinserve.ImageFile(fixture.File)
			if err != nil {
				t.Fatalf("ImageFile: %v", err)
			}
			images = append(images, image)
		}
		return images, nil
	case "image_bytes":
		var images []*swinservev1.Image
		for _, fixture := range r.env.expected.Images {
			encoded, err := readFile(fixture.File)
			if err != nil {
				t.Fatalf("reading %s: %v", fixture.File, err)
			}
			images = append(images, swinserve.ImageBytes(encoded))
		}
		return images, nil
	case "corrupt_bytes":
		return []*swinservev1.Image{swinserve.ImageBytes([]byte(request.BytesUTF8))}, nil
	}
	t.Fatalf("input %q is unknown to this runner", request.Input)
	return nil, nil
}

func modelRef(request caseRequest) swinserve.ModelRef {
	return swinserve.ModelRef{Name: request.Model, Version: request.Version, Label: request.Label}
}

func callOptions(request caseRequest, wantLogits bool) []swinserve.CallOption {
	var options []swinserve.CallOption
	if request.TopK > 0 {
		options = append(options, swinserve.WithTopK(request.TopK))
	}
	if request.IncludeLogits || wantLogits {
		options = append(options, swinserve.WithLogits())
	}
	return options
}

func (r *runner) classify(t *testing.T, c testCase) {
	r.classifyAndCheck(t, r.client(t, r.server.address(), c.Client), c)
}

// classifyAndCheck classifies c's request with client and checks what c expects.
func (r *runner) classifyAndCheck(t *testing.T, client *swinserve.Client, c testCase) {
	t.Helper()
	images, rows := r.input(t, c.Request)
	response, err := client.Classify(timeout(t, 30*time.Second), modelRef(c.Request), images, callOptions(c.Request, false)...)
	if err != nil {
		t.Fatalf("Classify: %v", err)
	}
	if got := len(response.GetClassifications()); got != len(images) {
		t.Fatalf("%d classifications for %d images", got, len(images))
	}
	if c.Expect.Version != 0 && response.GetModel().GetVersion() != c.Expect.Version {
		t.Errorf("answered by version %d, want %d", response.GetModel().GetVersion(), c.Expect.Version)
	}
	switch c.Expect.Logits {
	case "":
	case "reference_logits":
		bound := r.env.maxRelativeError(t, c.Expect.MaxRelativeError)
		for i, classification := range response.GetClassifications() {
			r.checkLogits(t, fmt.Sprintf("row %d", rows[i]), classification.GetLogits(), r.env.expected.Reference.Logits[rows[i]], bound)
		}
	case "image_pixel_logits":
		r.checkAgainstPixels(t, client, c, response)
	default:
		t.Fatalf("logits %q is unknown to this runner", c.Expect.Logits)
	}
	for i, classification := range response.GetClassifications() {
		r.checkClasses(t, fmt.Sprintf("image %d", i), classification, c.Expect)
	}
}

func (r *runner) checkLogits(t *testing.T, what string, got []float32, want []float64, bound float64) {
	t.Helper()
	relative, err := relativeError(got, want)
	if err != nil {
		t.Errorf("%s: %v", what, err)
	} else if relative > bound {
		t.Errorf("%s: relative error %.3g above %.3g", what, relative, bound)
	}
}

// checkAgainstPixels asks the same server for each fixture's pixels and compares.
func (r *runner) checkAgainstPixels(t *testing.T, client *swinserve.Client, c testCase, response *swinservev1.ClassifyResponse) {
	t.Helper()
	var images []*swinservev1.Image
	for _, fixture := range r.env.expected.Images {
		image, err := swinserve.ImagesNHWC(fixture.Pixels.read(t), fixture.Pixels.Shape)
		if err != nil {
			t.Fatalf("ImagesNHWC(%s): %v", fixture.Name, err)
		}
		images = append(images, image...)
	}
	fromPixels, err := client.Classify(timeout(t, 30*time.Second), modelRef(c.Request), images, swinserve.WithLogits())
	if err != nil {
		t.Fatalf("Classify(pixels): %v", err)
	}
	bound := r.env.maxRelativeError(t, c.Expect.MaxRelativeError)
	for i, fixture := range r.env.expected.Images {
		want := fromPixels.GetClassifications()[i].GetLogits()
		got := response.GetClassifications()[i].GetLogits()
		r.checkLogits(t, fixture.Name, got, float64s(want), bound)
		if c.Expect.SameTopClass && argmax(got) != argmax(want) {
			t.Errorf("%s: best class %d, from its pixels %d", fixture.Name, argmax(got), argmax(want))
		}
	}
}

func (r *runner) checkClasses(t *testing.T, what string, classification *swinservev1.Classification, expect caseExpectation) {
	t.Helper()
	classes, logits := classification.GetClasses(), classification.GetLogits()
	if expect.ClassesPerImage != 0 && len(classes) != expect.ClassesPerImage {
		t.Errorf("%s: %d classes, want %d", what, len(classes), expect.ClassesPerImage)
	}
	if expect.LogitsEmpty && len(logits) != 0 {
		t.Errorf("%s: %d logits, want none", what, len(logits))
	}
	for i, class := range classes {
		if expect.BestFirst && i > 0 && class.GetScore() > classes[i-1].GetScore() {
			t.Errorf("%s: class %d scores %v above the one before it (%v)", what, i, class.GetScore(), classes[i-1].GetScore())
		}
		if expect.LabelsFrom == "class_names" {
			names := r.env.expected.ClassNames
			if index := int(class.GetIndex()); index < 0 || index >= len(names) {
				t.Errorf("%s: class index %d outside the %d class names", what, index, len(names))
			} else if class.GetLabel() != names[index] {
				t.Errorf("%s: class %d labelled %q, want %q", what, index, class.GetLabel(), names[index])
			}
		} else if expect.LabelsFrom != "" {
			t.Fatalf("labels_from %q is unknown to this runner", expect.LabelsFrom)
		}
		if expect.ScoresAreSoftmax > 0 {
			if int(class.GetIndex()) >= len(logits) {
				t.Fatalf("%s: class %d but only %d logits", what, class.GetIndex(), len(logits))
			}
			if want := softmax(logits)[class.GetIndex()]; math.Abs(float64(class.GetScore())-want) > expect.ScoresAreSoftmax {
				t.Errorf("%s: class %d scores %v, softmax of its logit %v", what, class.GetIndex(), class.GetScore(), want)
			}
		}
	}
	if expect.TopClassIsArgmax && (len(classes) == 0 || int(classes[0].GetIndex()) != argmax(logits)) {
		t.Errorf("%s: first class %v, logits' argmax %d", what, classes, argmax(logits))
	}
}

func (r *runner) classifyEach(t *testing.T, c testCase) {
	client := r.client(t, r.server.address(), c.Client)
	for _, request := range c.Requests {
		images, _ := r.input(t, request)
		response, err := client.Classify(timeout(t, 30*time.Second), modelRef(request), images, callOptions(request, false)...)
		if err != nil {
			t.Errorf("Classify(%+v): %v", modelRef(request), err)
			continue
		}
		if got := response.GetModel().GetVersion(); got != request.ExpectVersion {
			t.Errorf("Classify(%+v) answered by version %d, want %d", modelRef(request), got, request.ExpectVersion)
		}
	}
}

func (r *runner) setLabel(t *testing.T, c testCase) {
	client := r.client(t, r.server.address(), c.Client)
	if _, err := client.SetLabel(timeout(t, 10*time.Second), c.Request.Model, c.Request.Label, c.Request.Version); err != nil {
		t.Fatalf("SetLabel: %v", err)
	}
	if labels := r.modelStatus(t, client, c.Request.Model).GetLabels(); !maps.Equal(labels, c.Expect.Labels) {
		t.Errorf("labels %v, want %v", labels, c.Expect.Labels)
	}
	images, _ := r.input(t, caseRequest{Input: "reference_pixels", Rows: []int{0}})
	response, err := client.Classify(timeout(t, 30*time.Second), swinserve.ModelLabel(c.Request.Model, c.Expect.ClassifyLabel), images)
	if err != nil {
		t.Fatalf("Classify(label %q): %v", c.Expect.ClassifyLabel, err)
	}
	if got := response.GetModel().GetVersion(); got != c.Expect.ClassifyVersion {
		t.Errorf("label %q answered by version %d, want %d", c.Expect.ClassifyLabel, got, c.Expect.ClassifyVersion)
	}
}

func (r *runner) classifyError(t *testing.T, c testCase) {
	client := r.client(t, r.server.address(), c.Client)
	images, _ := r.input(t, c.Request)
	_, err := client.Classify(timeout(t, 30*time.Second), modelRef(c.Request), images, callOptions(c.Request, false)...)
	checkStatus(t, err, *c.Expect.Code, c.Expect.MessageContains)
}

func checkStatus(t *testing.T, err error, want codes.Code, messageContains string) {
	t.Helper()
	got, ok := status.FromError(err)
	if !ok {
		t.Fatalf("error %v is not a gRPC status", err)
	}
	if got.Code() != want {
		t.Fatalf("code %v (%q), want %v", got.Code(), got.Message(), want)
	}
	if !strings.Contains(got.Message(), messageContains) {
		t.Errorf("message %q does not contain %q", got.Message(), messageContains)
	}
}

func float64s(values []float32) []float64 {
	out := make([]float64, len(values))
	for i, value := range values {
		out[i] = float64(value)
	}
	return out
}

func argmax(values []float32) int {
	best := -1
	for i, value := range values {
		if best < 0 || value > values[best] {
			best = i
		}
	}
	return best
}

func softmax(logits []float32) []float64 {
	highest := math.Inf(-1)
	for _, logit := range logits {
		highest = math.Max(highest, float64(logit))
	}
	var sum float64
	out := make([]float64, len(logits))
	for i, logit := range logits {
		out[i] = math.Exp(float64(logit) - highest)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
