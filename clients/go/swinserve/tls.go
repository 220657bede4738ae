package swinserve

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"google.golang.org/grpc/credentials"
)

// TLSConfig says how a client speaks TLS to its servers (the Java ClientTls): which CAs it
// trusts for the server's certificate and, for mutual TLS, its own certificate chain and key.
// Every field is a path to a PEM file, read once when the client is made. The zero value is TLS
// trusting the system's CAs, without a client certificate. The server's certificate is checked
// against the target's host name: for a DNS name that the client dials per address, still the
// name, never the address.
type TLSConfig struct {
	// TrustedCAs is a PEM file of the CAs the server's certificate must chain to; empty: the
	// system's roots.
	TrustedCAs string
	// CertChain is the client's certificate chain (PEM), presented for mutual TLS; needs
	// PrivateKey.
	CertChain string
	// PrivateKey is the key of CertChain's first certificate (PEM: PKCS#8, PKCS#1 or SEC 1);
	// needs CertChain.
	PrivateKey string
}

// Validate reports a client certificate given by half: a chain without its key, or a key
// without its chain.
func (c TLSConfig) Validate() error {
	switch {
	case c.CertChain != "" && c.PrivateKey == "":
		return fmt.Errorf("swinserve: a client certificate needs both TLSConfig.CertChain and PrivateKey, got only CertChain")
	case c.CertChain == "" && c.PrivateKey != "":
		return fmt.Errorf("swinserve: a client certificate needs both TLSConfig.CertChain and PrivateKey, got only PrivateKey")
	}
	return nil
}

// WithTLS makes every endpoint's connection speak TLS as tls says (default: plaintext). A
// WithDialOptions giving its own transport credentials overrides it.
func WithTLS(tls TLSConfig) Option {
	return func(c *config) { c.tls = &tls }
}

// credentials reads the files c names and makes the transport credentials of every endpoint.
func (c TLSConfig) credentials() (credentials.TransportCredentials, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TrustedCAs != "" {
		pem, err := os.ReadFile(c.TrustedCAs)
		if err != nil {
			return nil, fmt.Errorf("swinserve: reading the trusted CAs: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("swinserve: no PEM certificate in the trusted CAs %s", c.TrustedCAs)
		}
		config.RootCAs = roots
	}
	if c.CertChain != "" {
		certificate, err := tls.LoadX509KeyPair(c.CertChain, c.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("swinserve: reading the client certificate %s and key %s: %w", c.CertChain, c.PrivateKey, err)
		}
		config.Certificates = []tls.Certificate{certificate}
	}
	return credentials.NewTLS(config), nil
}
