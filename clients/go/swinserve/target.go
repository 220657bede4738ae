package swinserve

import (
	"fmt"
	"strings"
)

// endpointTargets splits a client target into one gRPC target per endpoint: a static list
// "h1:p1,h2:p2" gives one per entry (each its own connection, breaker and bulkhead); anything
// else ("host:port", "dns:///name:port", "unix:...") is one endpoint, whose connection spreads
// calls round robin over the addresses the name resolves to. As the Java ClientTarget, except
// that a DNS name is not resolved by the client into an endpoint per address.
func endpointTargets(target string) ([]string, error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return nil, fmt.Errorf("swinserve: the target must not be blank")
	}
	if !strings.Contains(target, ",") {
		return []string{target}, nil
	}
	var addresses []string
	for _, address := range strings.Split(target, ",") {
		if address = strings.TrimSpace(address); address != "" {
			addresses = append(addresses, address)
		}
	}
	if len(addresses) == 0 {
		return nil, fmt.Errorf("swinserve: no address in target %q", target)
	}
	return addresses, nil
}
