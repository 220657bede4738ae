// Package swinservev1 is the generated Go code of the swinserve.v1 API (messages and gRPC
// stubs), built from proto/src/main/proto by clients/go/generate.sh. Do not edit the *.pb.go
// files; change the .proto files and run `go generate ./...` from clients/go.
package swinservev1

//go:generate ../../../generate.sh
