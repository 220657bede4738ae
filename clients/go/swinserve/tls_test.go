package swinserve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

func TestPlaintextIsTheDefault(t *testing.T) {
	config, err := newConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if config.tls != nil {
		t.Errorf("TLS %+v without WithTLS, want plaintext", *config.tls)
	}
}

func TestHalfAClientCertificateIsRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		tls  TLSConfig
		says string
	}{
		"chain without key": {TLSConfig{TrustedCAs: "ca.crt", CertChain: "client.crt"}, "got only CertChain"},
		"key without chain": {TLSConfig{PrivateKey: "client.key"}, "got only PrivateKey"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := tc.tls.Validate(); err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Validate: %v, want an error saying %q", err, tc.says)
			}
			if _, err := New("127.0.0.1:1", WithTLS(tc.tls)); err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("New: %v, want an error saying %q", err, tc.says)
			}
		})
	}
	for _, whole := range []TLSConfig{{}, {TrustedCAs: "ca.crt"}, {CertChain: "client.crt", PrivateKey: "client.key"}} {
		if err := whole.Validate(); err != nil {
			t.Errorf("Validate(%+v): %v", whole, err)
		}
	}
}

func TestTLSFilesThatCannotBeUsedAreRefusedByNew(t *testing.T) {
	certificates := makeCertificates(t, "svc.test")
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		tls  TLSConfig
		says string
	}{
		"missing CA file": {TLSConfig{TrustedCAs: filepath.Join(t.TempDir(), "none.crt")}, "reading the trusted CAs"},
		"CA file not PEM": {TLSConfig{TrustedCAs: notPEM}, "no PEM certificate"},
		"key of another certificate": {TLSConfig{CertChain: certificates.clientChain, PrivateKey: certificates.serverKey},
			"reading the client certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			client, err := New("127.0.0.1:1", WithTLS(tc.tls))
			if err == nil {
				_ = client.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("New: %v, want an error saying %q", err, tc.says)
			}
		})
	}
}

// serverNames records the TLS server name each call arrived with.
type serverNames struct {
	mu    sync.Mutex
	names []string
}

func (s *serverNames) classifier() *fakeClassifier {
	return &fakeClassifier{classify: func(ctx context.Context, request *swinservev1.ClassifyRequest) (*swinservev1.ClassifyResponse, error) {
		if caller, ok := peer.FromContext(ctx); ok {
			if info, ok := caller.AuthInfo.(credentials.TLSInfo); ok {
				s.mu.Lock()
				s.names = append(s.names, info.State.ServerName)
				s.mu.Unlock()
			}
		}
		return answer(request), nil
	}}
}

func (s *serverNames) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.names...)
}

// mutualTLSServer serves fake in-process over TLS that requires a client certificate signed by
// the CA; every dial, to whatever address, reaches it (no network).
func mutualTLSServer(t *testing.T, certificates testCertificates, fake *fakeClassifier) Option {
	t.Helper()
	certificate, err := tls.LoadX509KeyPair(certificates.serverChain, certificates.serverKey)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(certificates.ca)
	if err != nil {
		t.Fatal(err)
	}
	clientCAs := x509.NewCertPool()
	clientCAs.AppendCertsFromPEM(caPEM)
	listener := bufconn.Listen(1 << 20)
	server := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{
		Certificates: []tls.Certificate{certificate},
		ClientCAs:    clientCAs,
		ClientAuth:   tls.RequireAndVerifyClientCert,
	})))
	swinservev1.RegisterClassifierServer(server, fake)
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	return WithDialOptions(grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
		return listener.DialContext(ctx)
	}))
}

func oneAttempt() Option {
	retry := DefaultRetryConfig()
	retry.MaxAttempts = 1
	return WithRetry(retry)
}

func classifyOnce(t *testing.T, target string, options ...Option) error {
	t.Helper()
	client, err := New(target, options...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = client.Classify(ctx, Model("mini"), onePixelImage())
	return err
}

func TestMutualTLSNeedsTheClientCertificateAndTheCA(t *testing.T) {
	certificates := makeCertificates(t, "svc.test")
	names := &serverNames{}
	server := mutualTLSServer(t, certificates, names.classifier())
	const target = "passthrough:///svc.test:443"
	mutual := TLSConfig{TrustedCAs: certificates.ca, CertChain: certificates.clientChain, PrivateKey: certificates.clientKey}
	if err := classifyOnce(t, target, server, WithTLS(mutual)); err != nil {
		t.Fatalf("over mutual TLS: %v", err)
	}
	for name, options := range map[string][]Option{
		"without a client certificate": {WithTLS(TLSConfig{TrustedCAs: certificates.ca})},
		"trusting only the system CAs": {WithTLS(TLSConfig{CertChain: certificates.clientChain, PrivateKey: certificates.clientKey})},
		"plaintext":                    nil,
	} {
		t.Run(name, func(t *testing.T) {
			err := classifyOnce(t, target, append(options, server, oneAttempt())...)
			if status.Code(err) != codes.Unavailable {
				t.Errorf("error %v, want UNAVAILABLE", err)
			}
		})
	}
	if got := names.seen(); len(got) != 1 || got[0] != "svc.test" {
		t.Errorf("calls served with TLS server names %v, want only the one over mutual TLS, to svc.test", got)
	}
}

// A DNS name dialled per address checks the server's certificate against the name: a
// certificate naming only the name serves every address, where a list of the same addresses
// is refused (the certificate names no address).
func TestDNSNameDialledPerAddressKeepsTheNameForTLS(t *testing.T) {
	certificates := makeCertificates(t, "svc.test")
	names := &serverNames{}
	server := mutualTLSServer(t, certificates, names.classifier())
	mutual := WithTLS(TLSConfig{TrustedCAs: certificates.ca, CertChain: certificates.clientChain, PrivateKey: certificates.clientKey})
	resolver := &fakeResolver{answer: []string{"127.0.0.1", "127.0.0.2"}}
	client, err := New("svc.test:443", server, mutual, withLookup(resolver.lookup))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for call := range 4 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := client.Classify(ctx, Model("mini"), onePixelImage())
		cancel()
		if err != nil {
			t.Fatalf("call %d: %v", call, err)
		}
	}
	for _, snapshot := range client.Breakers() {
		if snapshot.BufferedCalls == 0 || snapshot.FailedCalls != 0 {
			t.Errorf("endpoint %s: %d calls, %d failed; want some, none failed", snapshot.Endpoint, snapshot.BufferedCalls, snapshot.FailedCalls)
		}
	}
	if got := names.seen(); len(got) != 4 || strings.Count(strings.Join(got, ","), "svc.test") != 4 {
		t.Errorf("TLS server names %v, want svc.test four times", got)
	}
	err = classifyOnce(t, "127.0.0.1:443,127.0.0.2:443", server, mutual, oneAttempt())
	if status.Code(err) != codes.Unavailable {
		t.Errorf("a list of the addresses: %v, want UNAVAILABLE (the certificate names no address)", err)
	}
}
