package conformance

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
)

// suite is cases.json; every field a case may carry is named here and an unknown one fails the
// run, so a case this runner does not understand cannot pass unnoticed.
type suite struct {
	Format int    `json:"format"`
	About  string `json:"about"`
	Server struct {
		Start        string  `json:"start"`
		ReadyWithinS float64 `json:"ready_within_s"`
	} `json:"server"`
	Cases []testCase `json:"cases"`
}

type testCase struct {
	ID           string          `json:"id"`
	Kind         string          `json:"kind"`
	Target       string          `json:"target"`
	Request      caseRequest     `json:"request"`
	Requests     []caseRequest   `json:"requests"`
	Expect       caseExpectation `json:"expect"`
	Client       *clientSettings `json:"client"`
	ProbeAnswers []probeAnswer   `json:"probe_answers"`
	Call         *struct {
		DeadlineMs int `json:"deadline_ms"`
	} `json:"call"`
	Restart *struct {
		AfterAnswers int    `json:"after_answers"`
		Signal       string `json:"signal"`
		SamePort     bool   `json:"same_port"`
	} `json:"restart"`
	Steps  []breakerStep `json:"steps"`
	Server *struct {
		Config string `json:"config"`
	} `json:"server"`
}

type caseRequest struct {
	Model         string  `json:"model"`
	Version       int64   `json:"version"`
	Label         string  `json:"label"`
	Input         string  `json:"input"`
	Rows          []int   `json:"rows"`
	IncludeLogits bool    `json:"include_logits"`
	TopK          int     `json:"top_k"`
	BytesUTF8     string  `json:"bytes_utf8"`
	Count         int     `json:"count"`
	MaxInFlight   int     `json:"max_in_flight"`
	DeadlineS     float64 `json:"deadline_s"`
	Calls         int     `json:"calls"`
	ExpectVersion int64   `json:"expect_version"`
}

type caseExpectation struct {
	Status            string           `json:"status"`
	Model             string           `json:"model"`
	AvailableVersions []int64          `json:"available_versions"`
	Labels            map[string]int64 `json:"labels"`
	DefaultVersion    int64            `json:"default_version"`
	Version           int64            `json:"version"`
	Logits            string           `json:"logits"`
	MaxRelativeError  json.RawMessage  `json:"max_relative_error"`
	SameTopClass      bool             `json:"same_top_class"`
	ClassesPerImage   int              `json:"classes_per_image"`
	BestFirst         bool             `json:"best_first"`
	LabelsFrom        string           `json:"labels_from"`
	TopClassIsArgmax  bool             `json:"top_class_is_argmax"`
	ScoresAreSoftmax  float64          `json:"scores_are_softmax"`
	LogitsEmpty       bool             `json:"logits_empty"`
	ClassifyLabel     string           `json:"classify_label"`
	ClassifyVersion   int64            `json:"classify_version"`
	Code              *codes.Code      `json:"code"`
	MessageContains   string           `json:"message_contains"`
	Answers           int              `json:"answers"`
	UniqueRequestIDs  bool             `json:"unique_request_ids"`
	EachExactlyOnce   bool             `json:"each_exactly_once"`
	AllSucceed        bool             `json:"all_succeed"`
	Attempts          int              `json:"attempts"`
	MinGapMs          int              `json:"min_gap_ms"`
	ServerDeadlineMs  *struct {
		Min float64 `json:"min"`
		Max float64 `json:"max"`
	} `json:"server_deadline_ms"`
	WithoutClientCertificate *codes.Code `json:"without_client_certificate"`
	Plaintext                *codes.Code `json:"plaintext"`
}

type clientSettings struct {
	DefaultDeadlineMs int `json:"default_deadline_ms"`
	Retry             *struct {
		MaxAttempts      int `json:"max_attempts"`
		InitialBackoffMs int `json:"initial_backoff_ms"`
		MaxBackoffMs     int `json:"max_backoff_ms"`
		BudgetMinimum    int `json:"budget_minimum"`
	} `json:"retry"`
	Breaker *struct {
		WindowSize                  int     `json:"window_size"`
		MinimumCalls                int     `json:"minimum_calls"`
		FailureRateThresholdPercent float64 `json:"failure_rate_threshold_percent"`
		WaitInOpenStateMs           int     `json:"wait_in_open_state_ms"`
		HalfOpenProbes              int     `json:"half_open_probes"`
	} `json:"breaker"`
	// TLS names each file by its variable: "tls_ca" is $SWINSERVE_CONFORMANCE_TLS_CA.
	TLS *struct {
		TrustedCAs string `json:"trusted_cas"`
		CertChain  string `json:"cert_chain"`
		PrivateKey string `json:"private_key"`
	} `json:"tls"`
}

type probeAnswer struct {
	Code       codes.Code `json:"code"`
	Message    string     `json:"message"`
	PushbackMs *int       `json:"pushback_ms"`
}

type breakerStep struct {
	Calls                 int         `json:"calls"`
	ExpectCode            *codes.Code `json:"expect_code"`
	ExpectAttempts        int         `json:"expect_attempts"`
	ExpectMessageContains string      `json:"expect_message_contains"`
	ExpectState           string      `json:"expect_state"`
	SleepMs               int         `json:"sleep_ms"`
}

// expectations is expected.json: what the fixtures say the server must answer.
type expectations struct {
	Model          string            `json:"model"`
	Versions       []string          `json:"versions"`
	Labels         map[string]string `json:"labels"`
	DefaultVersion string            `json:"default_version"`
	Endpoint       struct {
		Name     string   `json:"name"`
		Versions []string `json:"versions"`
	} `json:"endpoint"`
	Side       int       `json:"side"`
	ClassNames []string  `json:"class_names"`
	ParityBar  float64   `json:"parity_bar"`
	Reference  reference `json:"reference"`
	Images     []fixture `json:"images"`
}

type reference struct {
	Pixels tensorFile  `json:"pixels"`
	Logits [][]float64 `json:"logits"`
}

type fixture struct {
	Name   string     `json:"name"`
	File   string     `json:"file"`
	Pixels tensorFile `json:"pixels"`
}

// tensorFile is raw little-endian float32 values of an NHWC shape.
type tensorFile struct {
	File  string `json:"file"`
	Shape [4]int `json:"shape"`
}

func (f tensorFile) read(t *testing.T) []float32 {
	t.Helper()
	raw, err := os.ReadFile(f.File)
	if err != nil {
		t.Fatalf("reading pixels: %v", err)
	}
	want := f.Shape[0] * f.Shape[1] * f.Shape[2] * f.Shape[3]
	if len(raw) != 4*want {
		t.Fatalf("%s holds %d bytes, shape %v needs %d", f.File, len(raw), f.Shape, 4*want)
	}
	values := make([]float32, want)
	for i := range values {
		values[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return values
}

// environment is what the orchestrator gives a runner.
type environment struct {
	serve, repository string
	expected          expectations
	suite             suite
	// tls are the tls case's files by variable suffix: "TLS_CA" is $SWINSERVE_CONFORMANCE_TLS_CA.
	tls map[string]string
}

// tlsVariables are the suffixes of the variables that name the tls case's files.
var tlsVariables = []string{"TLS_CONFIG", "TLS_CA", "TLS_CLIENT_CERT", "TLS_CLIENT_KEY"}

// tlsFile is the file a case names: "tls_ca" is $SWINSERVE_CONFORMANCE_TLS_CA's.
func (env environment) tlsFile(t *testing.T, name string) string {
	t.Helper()
	file, ok := env.tls[strings.ToUpper(name)]
	if !ok {
		t.Fatalf("the case names the TLS file %q; this runner knows %v", name, tlsVariables)
	}
	return file
}

func loadEnvironment(t *testing.T) environment {
	t.Helper()
	env := environment{
		serve:      os.Getenv("SWINSERVE_CONFORMANCE_SERVE"),
		repository: os.Getenv("SWINSERVE_CONFORMANCE_REPOSITORY"),
	}
	expectedPath := os.Getenv("SWINSERVE_CONFORMANCE_EXPECTED")
	env.tls = map[string]string{}
	for _, suffix := range tlsVariables {
		if file := os.Getenv("SWINSERVE_CONFORMANCE_" + suffix); file != "" {
			env.tls[suffix] = file
		}
	}
	if env.serve == "" || env.repository == "" || expectedPath == "" || len(env.tls) < len(tlsVariables) {
		t.Fatal("the conformance runner needs SWINSERVE_CONFORMANCE_SERVE (an executable running " +
			"`swinserve serve`), SWINSERVE_CONFORMANCE_REPOSITORY (the model repository), " +
			"SWINSERVE_CONFORMANCE_EXPECTED (expected.json) and, for the tls case, " +
			"SWINSERVE_CONFORMANCE_TLS_CONFIG (a server.yaml requiring mutual TLS), _TLS_CA, " +
			"_TLS_CLIENT_CERT and _TLS_CLIENT_KEY (PEM files); `mvn verify` sets them, and " +
			"clients/go/README.md says how to set them by hand")
	}
	readStrict(t, expectedPath, &env.expected, false)
	readStrict(t, filepath.Join("..", "conformance", "cases.json"), &env.suite, true)
	if env.suite.Format != 1 {
		t.Fatalf("cases.json format %d; this runner reads format 1", env.suite.Format)
	}
	return env
}

func readStrict(t *testing.T, path string, into any, strict bool) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer file.Close()
	decoder := json.NewDecoder(file)
	if strict {
		decoder.DisallowUnknownFields()
	}
	if err := decoder.Decode(into); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
}

// maxRelativeError is a case's bound: a number, or "parity_bar".
func (env environment) maxRelativeError(t *testing.T, raw json.RawMessage) float64 {
	t.Helper()
	var name string
	if json.Unmarshal(raw, &name) == nil {
		if name != "parity_bar" {
			t.Fatalf("max_relative_error %q: want a number or \"parity_bar\"", name)
		}
		return env.expected.ParityBar
	}
	bound, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		t.Fatalf("max_relative_error %s: %v", raw, err)
	}
	return bound
}

func (env environment) version(t *testing.T, text string) int64 {
	t.Helper()
	version, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		t.Fatalf("expected.json version %q: %v", text, err)
	}
	return version
}

func relativeError(out []float32, ref []float64) (float64, error) {
	if len(out) != len(ref) {
		return 0, fmt.Errorf("%d logits, want %d", len(out), len(ref))
	}
	var difference, norm float64
	for i := range ref {
		d := float64(out[i]) - ref[i]
		difference += d * d
		norm += ref[i] * ref[i]
	}
	return math.Sqrt(difference) / math.Sqrt(norm), nil
}
