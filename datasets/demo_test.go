package datasets

import (
	"strings"
	"testing"
)

// TestDemo checks that the embedded demo suite is valid and covers what the product
// promises to measure: enough cases, intents, escalations, languages, conversations and
// trust probes (PII canaries, AI disclosure, prompt injection, counterfactual fairness).
func TestDemo(t *testing.T) {
	t.Parallel()
	s, err := Demo()
	if err != nil {
		t.Fatalf("demo suite:\n%v", err)
	}
	if s.Dir != DemoDir {
		t.Errorf("Dir %q, want %q", s.Dir, DemoDir)
	}
	inv := Summarize(s)
	tags := map[string]int{}
	for _, c := range inv.Tags {
		tags[c.Name] = c.Cases
	}
	nonEnglish := 0
	for _, l := range inv.Languages {
		if l.Name != "en" && !strings.HasPrefix(l.Name, "en-") {
			nonEnglish += l.Cases
		}
	}
	bestGroup := Group{}
	for _, g := range inv.Counterfactual {
		if g.Cases >= 8 && g.Customers > bestGroup.Customers {
			bestGroup = g
		}
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"knowledge articles", inv.Articles, 30},
		{"cases", inv.Cases, 300},
		{"categories", len(inv.Categories), 12},
		{"percent that should escalate", int(100 * inv.EscalateShare()), 30},
		{"escalation reasons", len(inv.Reasons), 6},
		{"multi-turn cases", inv.MultiTurn, 40},
		{"languages", len(inv.Languages), 4},
		{"non-English cases", nonEnglish, 40},
		{"pii-canary cases", tags["pii-canary"], 15},
		{"ai-disclosure cases", tags["ai-disclosure"], 10},
		{"prompt-injection cases", tags["prompt-injection"], 15},
		{"customers in a counterfactual group of 8+ cases", bestGroup.Customers, 4},
	}
	for _, c := range checks {
		if c.got < c.want {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.want)
		}
	}
}
