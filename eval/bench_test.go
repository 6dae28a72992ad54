package eval

import (
	"fmt"
	"strings"
	"testing"
)

func benchSuite() (*Suite, *Case) {
	s := &Suite{Config: Config{SystemPrompt: strings.Repeat("You are a support assistant. ", 60),
		Options: Options{Temperature: 0, Seed: 42, NumPredict: 256}}, Knowledge: map[string]string{}}
	for i := range 3 {
		s.Knowledge[fmt.Sprintf("k%d", i)] = strings.Repeat("Returns are accepted within 30 days of delivery. ", 40)
	}
	c := &Case{ID: "c1", Category: "returns", Knowledge: []string{"k0", "k1", "k2"},
		Customer: map[string]any{"name": "Ana", "email": "ana@example.com", "orders": []any{map[string]any{"id": "NW-1", "status": "shipped"}}},
		Messages: []Message{{RoleCustomer, "Hi"}, {RoleAgent, "Hello, how can I help?"}, {RoleCustomer, "Can I return my lamp?"}}}
	return s, c
}

// BenchmarkBuildRequest measures prompt assembly for one case (three articles, a record,
// a three-turn conversation).
func BenchmarkBuildRequest(b *testing.B) {
	s, c := benchSuite()
	b.ReportAllocs()
	for b.Loop() {
		BuildRequest(s, c, "m", ModeTools, 4096)
	}
}

// BenchmarkRequestKey measures the cache key: the full request encoded and hashed.
func BenchmarkRequestKey(b *testing.B) {
	s, c := benchSuite()
	r := BuildRequest(s, c, "m", ModeTools, 4096)
	b.ReportAllocs()
	for b.Loop() {
		r.Key("sha256:0123456789abcdef", 1)
	}
}
