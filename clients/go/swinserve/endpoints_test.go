package swinserve

import (
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials/insecure"
)

// idleEndpoints are endpoints whose connections never connect (nothing asks them to), so only
// the breakers decide the pick.
func idleEndpoints(t *testing.T, clock *manualClock, names ...string) *endpoints {
	t.Helper()
	set := newEndpoints(func(want endpointTarget) (*endpoint, error) {
		conn, err := grpc.NewClient("passthrough:///"+want.target, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, err
		}
		return &endpoint{name: want.name, conn: conn, breaker: newBreaker(want.name, smallBreaker(), clock.read), bulkhead: make(chan struct{}, 1)}, nil
	})
	var wanted []endpointTarget
	for _, name := range names {
		wanted = append(wanted, endpointTarget{name: name, target: name})
	}
	if err := set.replace(wanted); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = set.close() })
	return set
}

func openBreaker(t *testing.T, b *breaker) {
	t.Helper()
	for range 4 {
		call(t, b, true)
	}
}

func TestPickGoesRoundRobinAndPassesOverOpenBreakers(t *testing.T) {
	clock := &manualClock{now: time.Unix(1000, 0)}
	set := idleEndpoints(t, clock, "a", "b", "c")
	var order []string
	for range 6 {
		order = append(order, set.pick().name)
	}
	if got := order; got[0] != "a" || got[1] != "b" || got[2] != "c" || got[3] != "a" {
		t.Fatalf("picks %v, want round robin", got)
	}
	openBreaker(t, set.all()[1].breaker)
	for range 6 {
		if picked := set.pick().name; picked == "b" {
			t.Fatal("picked the endpoint whose breaker is open while others admit calls")
		}
	}
	openBreaker(t, set.all()[0].breaker)
	openBreaker(t, set.all()[2].breaker)
	seen := map[string]bool{}
	for range 3 {
		seen[set.pick().name] = true
	}
	if len(seen) != 3 {
		t.Fatalf("picks %v with every breaker open, want simply the next in turn (each then refuses)", seen)
	}
}

func TestReplaceKeepsEndpointsByNameAndClosesThoseThatLeaveOnceIdle(t *testing.T) {
	clock := &manualClock{now: time.Unix(1000, 0)}
	set := idleEndpoints(t, clock, "a", "b")
	a, b := set.all()[0], set.all()[1]
	done, err := b.use()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.replace([]endpointTarget{{name: "a", target: "a"}, {name: "c", target: "c"}}); err != nil {
		t.Fatal(err)
	}
	if all := set.all(); len(all) != 2 || all[0] != a || all[1].name != "c" {
		t.Fatalf("endpoints after replace: %v", all)
	}
	time.Sleep(250 * time.Millisecond)
	if b.conn.GetState() == connectivity.Shutdown {
		t.Fatal("closed the connection of a departed endpoint while a call was still on it")
	}
	done()
	deadline := time.Now().Add(5 * time.Second)
	for b.conn.GetState() != connectivity.Shutdown {
		if time.Now().After(deadline) {
			t.Fatal("the departed endpoint's connection was never closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := set.replace(nil); err == nil {
		t.Error("replace accepted an empty set")
	}
}
