package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/health/grpc_health_v1"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
	"swinserve.dev/go/swinserve"
)

// realServer is the `swinserve serve` this runner started; stop always ends it.
type realServer struct {
	env environment
	// arguments follow the usual ones (e.g. --config for TLS); clientOptions are how the runner
	// reaches the server to see it ready (e.g. its TLS).
	arguments     []string
	clientOptions []swinserve.Option
	dir           string
	logPath       string
	log           *os.File
	cmd           *exec.Cmd
	exited        chan struct{}
	port          int
	starts        int
}

// startServer starts a server on any port with arguments after the usual ones, and waits until
// a client with clientOptions sees it serve every version.
func startServer(t *testing.T, env environment, arguments []string, clientOptions ...swinserve.Option) *realServer {
	t.Helper()
	dir, err := os.MkdirTemp("", "swinserve-go-conformance-")
	if err != nil {
		t.Fatalf("making a folder for the server: %v", err)
	}
	server := &realServer{env: env, arguments: arguments, clientOptions: clientOptions, dir: dir, logPath: filepath.Join(dir, "server.log")}
	log, err := os.Create(server.logPath)
	if err != nil {
		t.Fatalf("creating the server log: %v", err)
	}
	server.log = log
	if err := server.start(0); err != nil {
		server.stop()
		t.Fatalf("%v\n%s", err, server.logTail())
	}
	return server
}

func (s *realServer) address() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// start runs the server on port and waits for its port file and for every version to serve.
func (s *realServer) start(port int) error {
	s.starts++
	portFile := filepath.Join(s.dir, fmt.Sprintf("port-%d", s.starts))
	arguments := append([]string{
		"--model-repository", s.env.repository,
		"--host", "127.0.0.1", "--port", strconv.Itoa(port), "--port-file", portFile,
	}, s.arguments...)
	cmd := exec.Command(s.env.serve, arguments...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", s.env.serve, err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) { _ = cmd.Wait(); close(exited) }(s.exited)
	within := time.Duration(s.env.suite.Server.ReadyWithinS * float64(time.Second))
	ready := time.Now().Add(within)
	for s.port = 0; s.port == 0; {
		select {
		case <-s.exited:
			return fmt.Errorf("the server exited before writing its port (log %s)", s.logPath)
		case <-time.After(50 * time.Millisecond):
		}
		if text, err := os.ReadFile(portFile); err == nil {
			if written, err := strconv.Atoi(strings.TrimSpace(string(text))); err == nil && written > 0 {
				s.port = written
			}
		}
		if s.port == 0 && time.Now().After(ready) {
			return fmt.Errorf("no port file within %v (log %s)", within, s.logPath)
		}
	}
	return s.awaitModels(ready)
}

// awaitModels waits until the server is SERVING and every version of the model is available.
func (s *realServer) awaitModels(ready time.Time) error {
	client, err := swinserve.New(s.address(), s.clientOptions...)
	if err != nil {
		return err
	}
	defer client.Close()
	var last error
	for time.Now().Before(ready) {
		last = s.serving(client)
		if last == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("the server exited while loading its models (log %s)", s.logPath)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("the server did not serve every version in time: %v (log %s)", last, s.logPath)
}

func (s *realServer) serving(client *swinserve.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if health, err := client.Health(ctx, ""); err != nil || health != grpc_health_v1.HealthCheckResponse_SERVING {
		return fmt.Errorf("health %v, %v", health, err)
	}
	models, err := client.Models(ctx)
	if err != nil {
		return err
	}
	available := 0
	for _, model := range models {
		if model.GetName() != s.env.expected.Model {
			continue
		}
		for _, version := range model.GetVersions() {
			if version.GetState() == swinservev1.VersionState_AVAILABLE {
				available++
			}
		}
	}
	if available < len(s.env.expected.Versions) {
		return fmt.Errorf("%d of %d versions available", available, len(s.env.expected.Versions))
	}
	return nil
}

// kill ends the server at once (SIGKILL) and waits for it to go.
func (s *realServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
}

// stopAndReport stops the server; its log stays, named in the test output, when t failed.
func (s *realServer) stopAndReport(t *testing.T) {
	s.stop()
	if t.Failed() {
		t.Log(s.logTail())
		return
	}
	_ = os.RemoveAll(s.dir)
}

// stop ends the server with SIGTERM, then SIGKILL after 10 s, and closes the log.
func (s *realServer) stop() {
	if s.cmd != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.kill()
		}
		s.cmd = nil
	}
	if s.log != nil {
		_ = s.log.Close()
	}
}

// logTail is the end of the server's log, for failure messages.
func (s *realServer) logTail() string {
	text, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(no server log: %v)", errors.Unwrap(err))
	}
	const keep = 4000
	if len(text) > keep {
		text = text[len(text)-keep:]
	}
	return fmt.Sprintf("server log %s ends:\n%s", s.logPath, text)
}
