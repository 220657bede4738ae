package swinserve

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// ImageFile reads an image file (JPEG, PNG, GIF or BMP) to send as it is; the server decodes
// and preprocesses it.
func ImageFile(path string) (*swinservev1.Image, error) {
	encoded, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("swinserve: reading image: %w", err)
	}
	return ImageBytes(encoded), nil
}

// ImageBytes sends an encoded image file's bytes as they are. The slice is not copied.
func ImageBytes(encoded []byte) *swinservev1.Image {
	return &swinservev1.Image{Data: &swinservev1.Image_Encoded{Encoded: encoded}}
}

// ImageOf encodes img as PNG (lossless) to send.
func ImageOf(img image.Image) (*swinservev1.Image, error) {
	var encoded bytes.Buffer
	if err := png.Encode(&encoded, img); err != nil {
		return nil, fmt.Errorf("swinserve: encoding image as PNG: %w", err)
	}
	return ImageBytes(encoded.Bytes()), nil
}

// ImagePixels sends an already preprocessed float32 image, height × width × 3 values in
// row-major HWC order (as the model expects them: resized and normalised). The slice is not
// copied.
func ImagePixels(values []float32, height, width int) (*swinservev1.Image, error) {
	const channels = 3
	if height < 1 || width < 1 {
		return nil, fmt.Errorf("swinserve: pixel image of %d×%d: height and width must be positive", height, width)
	}
	if len(values) != height*width*channels {
		return nil, fmt.Errorf("swinserve: pixel image of %d×%d×%d needs %d values, got %d",
			height, width, channels, height*width*channels, len(values))
	}
	return &swinservev1.Image{Data: &swinservev1.Image_Pixels{Pixels: &swinservev1.PixelTensor{
		Height: int32(height), Width: int32(width), Channels: channels, Values: values,
	}}}, nil
}

// ImagesNHWC splits a batch of preprocessed float32 images, shape [n, height, width, 3] in
// row-major order (NumPy's NHWC), into one image each. The values are not copied.
func ImagesNHWC(values []float32, shape [4]int) ([]*swinservev1.Image, error) {
	n, height, width, channels := shape[0], shape[1], shape[2], shape[3]
	if channels != 3 || n < 1 {
		return nil, fmt.Errorf("swinserve: NHWC shape %v: want n ≥ 1 images of 3 channels", shape)
	}
	size := height * width * channels
	if height < 1 || width < 1 || len(values) != n*size {
		return nil, fmt.Errorf("swinserve: NHWC shape %v needs %d values, got %d", shape, n*size, len(values))
	}
	images := make([]*swinservev1.Image, n)
	for i := range images {
		image, err := ImagePixels(values[i*size:(i+1)*size:(i+1)*size], height, width)
		if err != nil {
			return nil, err
		}
		images[i] = image
	}
	return images, nil
}
