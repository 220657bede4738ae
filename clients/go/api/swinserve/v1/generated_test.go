package swinservev1_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bufbuild/protocompile"
	_ "google.golang.org/genproto/googleapis/rpc/status" // registers google/rpc/status.proto
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// The committed code is stale when the .proto files say something its embedded descriptors do
// not: the test compiles proto/src/main/proto in Go (protocompile, googleapis from the genproto
// module) and compares. A failure means: run ./generate.sh (or go generate ./...) and commit.
func TestGeneratedCodeMatchesTheProtoFiles(t *testing.T) {
	generated := map[string]protoreflect.FileDescriptor{
		"swinserve/v1/classifier.proto":      swinservev1.File_swinserve_v1_classifier_proto,
		"swinserve/v1/model_service.proto":   swinservev1.File_swinserve_v1_model_service_proto,
		"swinserve/v1/routing.proto":         swinservev1.File_swinserve_v1_routing_proto,
		"swinserve/v1/metrics_service.proto": swinservev1.File_swinserve_v1_metrics_service_proto,
	}
	protos := filepath.Join("..", "..", "..", "..", "..", "proto", "src", "main", "proto")
	matches, err := filepath.Glob(filepath.Join(protos, "swinserve", "v1", "*.proto"))
	if err != nil || len(matches) != len(generated) {
		t.Fatalf("found %v in %s (%v); this test knows %d files: add the new ones here and to generate.sh", matches, protos, err, len(generated))
	}
	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(protocompile.CompositeResolver{
			&protocompile.SourceResolver{ImportPaths: []string{protos}},
			protocompile.ResolverFunc(func(path string) (protocompile.SearchResult, error) {
				file, err := protoregistry.GlobalFiles.FindFileByPath(path)
				return protocompile.SearchResult{Desc: file}, err
			}),
		}),
	}
	var paths []string
	for path := range generated {
		paths = append(paths, path)
	}
	compiled, err := compiler.Compile(context.Background(), paths...)
	if err != nil {
		t.Fatalf("compiling the .proto files: %v", err)
	}
	for _, file := range compiled {
		want := comparable(protodesc.ToFileDescriptorProto(file))
		got := comparable(protodesc.ToFileDescriptorProto(generated[file.Path()]))
		if !proto.Equal(got, want) {
			t.Errorf("%s: the generated code is stale; run clients/go/generate.sh and commit its output", file.Path())
		}
	}
}

// comparable drops what protoc and protocompile fill in differently and the code does not use.
func comparable(file *descriptorpb.FileDescriptorProto) *descriptorpb.FileDescriptorProto {
	file.SourceCodeInfo = nil
	clearJSONNames(file.GetMessageType())
	return file
}

func clearJSONNames(messages []*descriptorpb.DescriptorProto) {
	for _, message := range messages {
		for _, field := range message.GetField() {
			field.JsonName = nil
		}
		clearJSONNames(message.GetNestedType())
	}
}
