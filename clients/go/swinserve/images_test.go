package swinserve

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImageOfEncodesLosslessPNG(t *testing.T) {
	source := image.NewRGBA(image.Rect(0, 0, 3, 2))
	source.Set(2, 1, color.RGBA{R: 200, G: 10, B: 30, A: 255})
	encoded, err := ImageOf(source)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := png.Decode(bytes.NewReader(encoded.GetEncoded()))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if r, g, b, _ := decoded.At(2, 1).RGBA(); r>>8 != 200 || g>>8 != 10 || b>>8 != 30 {
		t.Errorf("pixel (2,1) came back as %d,%d,%d", r>>8, g>>8, b>>8)
	}
}

func TestImageFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.jpg")
	if err := os.WriteFile(path, []byte("jpeg bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	image, err := ImageFile(path)
	if err != nil || string(image.GetEncoded()) != "jpeg bytes" {
		t.Fatalf("ImageFile = %v, %v", image, err)
	}
	if _, err := ImageFile(filepath.Join(t.TempDir(), "missing.png")); err == nil {
		t.Error("a missing file gave no error")
	}
}

func TestImagePixels(t *testing.T) {
	image, err := ImagePixels(make([]float32, 2*3*3), 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if p := image.GetPixels(); p.GetHeight() != 2 || p.GetWidth() != 3 || p.GetChannels() != 3 || len(p.GetValues()) != 18 {
		t.Errorf("pixels %v", p)
	}
	if _, err := ImagePixels(make([]float32, 17), 2, 3); err == nil || !strings.Contains(err.Error(), "needs 18 values") {
		t.Errorf("a short tensor: %v", err)
	}
	if _, err := ImagePixels(nil, 0, 3); err == nil {
		t.Error("a zero height was accepted")
	}
}

func TestImagesNHWCSplitsRows(t *testing.T) {
	values := make([]float32, 2*1*2*3)
	for i := range values {
		values[i] = float32(i)
	}
	images, err := ImagesNHWC(values, [4]int{2, 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(images) != 2 || images[1].GetPixels().GetValues()[0] != 6 || len(images[0].GetPixels().GetValues()) != 6 {
		t.Fatalf("rows split wrongly: %v", images)
	}
	if _, err := ImagesNHWC(values, [4]int{2, 1, 2, 4}); err == nil {
		t.Error("four channels were accepted")
	}
	if _, err := ImagesNHWC(values[:5], [4]int{2, 1, 2, 3}); err == nil {
		t.Error("a short batch was accepted")
	}
}

func TestModelRefSpec(t *testing.T) {
	if spec := ModelVersion("m", 2).Spec(); spec.GetName() != "m" || spec.GetVersion() != 2 {
		t.Errorf("version spec %v", spec)
	}
	if spec := ModelLabel("m", "stable").Spec(); spec.GetLabel() != "stable" || spec.GetVersion() != 0 {
		t.Errorf("label spec %v", spec)
	}
	if spec := Model("m").Spec(); spec.GetVersionChoice() != nil {
		t.Errorf("default spec names a version: %v", spec)
	}
	request := NewClassifyRequest(Model("m"), nil, WithTopK(3), WithLogits(), WithRequestID("a"), WithRoutingKey("u1"))
	if request.GetTopK() != 3 || !request.GetIncludeLogits() || request.GetRequestId() != "a" || request.GetRoutingKey() != "u1" {
		t.Errorf("options not applied: %v", request)
	}
}
