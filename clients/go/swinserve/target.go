package swinserve

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// clientTarget is what a target string names, which decides how the endpoints are made: a
// static list (an endpoint per address), a DNS name the client resolves itself (an endpoint per
// address, kept current), or anything else, left to gRPC as one connection. The Java
// ClientTarget.
type clientTarget struct {
	// addresses of a static list; nil otherwise.
	addresses []string
	// host and port of a DNS name; host is empty otherwise.
	host string
	port int
	// single is the target as written, trimmed (a DNS name's endpoint while it has one address).
	single string
}

// dnsName is host:port, optionally after dns:///, where host is neither empty nor an IP literal.
var dnsName = regexp.MustCompile(`^(?:dns:///)?([^/:\[\]]+):(\d{1,5})$`)

var ipv4Literal = regexp.MustCompile(`^[0-9.]+$`)

func parseTarget(target string) (clientTarget, error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return clientTarget{}, fmt.Errorf("swinserve: the target must not be blank")
	}
	if strings.Contains(target, ",") {
		var addresses []string
		for _, address := range strings.Split(target, ",") {
			if address = strings.TrimSpace(address); address != "" {
				addresses = append(addresses, address)
			}
		}
		if len(addresses) == 0 {
			return clientTarget{}, fmt.Errorf("swinserve: no address in target %q", target)
		}
		return clientTarget{addresses: addresses}, nil
	}
	if match := dnsName.FindStringSubmatch(target); match != nil && !ipv4Literal.MatchString(match[1]) {
		if port, err := strconv.Atoi(match[2]); err == nil && port <= 65535 {
			return clientTarget{host: match[1], port: port, single: target}, nil
		}
	}
	return clientTarget{single: target}, nil
}
