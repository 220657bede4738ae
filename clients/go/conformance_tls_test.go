package conformance

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"swinserve.dev/go/swinserve"
)

// mutualTLS is the tls kind: a second server, started with the case's server.yaml (mutual TLS
// required), answers a client with the CA and the client certificate as classify checks, and
// refuses a client without the certificate and a plaintext one; it is stopped after the case.
func (r *runner) mutualTLS(t *testing.T, c testCase) {
	if c.Server == nil || c.Client == nil || c.Client.TLS == nil ||
		c.Expect.WithoutClientCertificate == nil || c.Expect.Plaintext == nil {
		t.Fatal("a tls case needs server.config, client.tls, expect.without_client_certificate and expect.plaintext")
	}
	mutual := r.options(t, c.Client)
	secure := startServer(t, r.env, []string{"--config", r.env.tlsFile(t, c.Server.Config)}, mutual...)
	t.Cleanup(func() { secure.stopAndReport(t) })

	client, err := swinserve.New(secure.address(), mutual...)
	if err != nil {
		t.Fatalf("swinserve.New over mutual TLS: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	r.classifyAndCheck(t, client, c)

	withoutCertificate := swinserve.WithTLS(swinserve.TLSConfig{TrustedCAs: r.env.tlsFile(t, c.Client.TLS.TrustedCAs)})
	r.expectRefused(t, "with the CA but no client certificate", secure.address(), c, *c.Expect.WithoutClientCertificate, withoutCertificate)
	r.expectRefused(t, "in plaintext", secure.address(), c, *c.Expect.Plaintext)
}

// expectRefused classifies c's request once (retries off, so it is quick) with a client of
// target made with options, and checks the call fails with want.
func (r *runner) expectRefused(t *testing.T, what, target string, c testCase, want codes.Code, options ...swinserve.Option) {
	t.Helper()
	once := swinserve.DefaultRetryConfig()
	once.MaxAttempts = 1
	client, err := swinserve.New(target, append(options, swinserve.WithRetry(once))...)
	if err != nil {
		t.Fatalf("swinserve.New %s: %v", what, err)
	}
	defer client.Close()
	images, _ := r.input(t, c.Request)
	_, err = client.Classify(timeout(t, 30*time.Second), modelRef(c.Request), images, callOptions(c.Request, false)...)
	if got := status.Code(err); got != want {
		t.Errorf("a client %s: %v (code %v), want %v", what, err, got, want)
		return
	}
	t.Logf("a client %s, refused as it should be: %v", what, err)
}
