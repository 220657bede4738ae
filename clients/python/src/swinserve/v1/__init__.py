"""The swinserve.v1 API: messages and gRPC stubs generated from proto/ when the package is built."""
