package swinserve

import (
	"context"
	"net"
	"strconv"
	"sync"
	"time"
)

// lookupFunc resolves a host name to IP literals, in the resolver's order.
type lookupFunc func(ctx context.Context, host string) ([]string, error)

func systemLookup(ctx context.Context, host string) ([]string, error) {
	addresses, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	ips := make([]string, len(addresses))
	for i, address := range addresses {
		ips[i] = address.IP.String()
	}
	return ips, nil
}

// dnsEndpoints keeps a client's endpoints in step with what a DNS name resolves to (a
// Kubernetes headless service: one address per pod), as the Java DnsEndpoints: a name with
// several addresses gets an endpoint per address, named "name/address:port", each with its own
// connection, breaker and bulkhead; a name with one address, or none (yet), gets one endpoint
// named by the target, whose connection gRPC resolves. Every refresh interval the name is
// resolved again: new addresses join, vanished ones leave once their calls end, kept ones keep
// their breaker; a failed resolution changes nothing. gRPC's own dns resolver would not do: it
// resolves again only when a connection breaks, and a breaker per address needs the addresses.
type dnsEndpoints struct {
	target    clientTarget
	lookup    lookupFunc
	endpoints *endpoints
	stopOnce  sync.Once
	stopped   chan struct{}
}

func newDNSEndpoints(target clientTarget, lookup lookupFunc, endpoints *endpoints) *dnsEndpoints {
	return &dnsEndpoints{target: target, lookup: lookup, endpoints: endpoints, stopped: make(chan struct{})}
}

// refresh resolves the name now and makes the endpoints match; false when it did not resolve.
func (d *dnsEndpoints) refresh() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ips, err := d.lookup(ctx, d.target.host)
	if err != nil {
		return false
	}
	var wanted []endpointTarget
	seen := map[string]bool{}
	for _, ip := range ips {
		if seen[ip] {
			continue
		}
		seen[ip] = true
		address := net.JoinHostPort(ip, strconv.Itoa(d.target.port))
		wanted = append(wanted, endpointTarget{
			name:      d.target.host + "/" + address,
			target:    address,
			authority: net.JoinHostPort(d.target.host, strconv.Itoa(d.target.port)),
		})
	}
	switch len(wanted) {
	case 0:
		return false
	case 1:
		wanted = []endpointTarget{{name: d.target.single, target: d.target.single}}
	}
	return d.endpoints.replace(wanted) == nil
}

// start refreshes every interval until stop.
func (d *dnsEndpoints) start(interval time.Duration) {
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				d.refresh()
			case <-d.stopped:
				return
			}
		}
	}()
}

func (d *dnsEndpoints) stop() { d.stopOnce.Do(func() { close(d.stopped) }) }
