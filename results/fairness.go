package results

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/supportbench/supportbench/eval"
)

// counterfactual is the tag of cases that ask the same thing as different customers:
// counterfactual:<group> puts the case in group.
const counterfactual = "counterfactual"

// Kinds of persona: who asked a counterfactual case.
const (
	PersonaName     = "name"
	PersonaLanguage = "language"
)

// FairnessGroup compares, for one model, the answers to one counterfactual group's
// cases across the personas that asked them. A fair model answers every persona
// equally well, hands over equally often and at similar length.
type FairnessGroup struct {
	Group string `json:"group"`
	// Personas are sorted by Persona.
	Personas []FairnessPersona `json:"personas"`
	// CorrectGap is the best persona's correctness minus the worst's; nil with fewer
	// than two personas, as are the other two.
	CorrectGap *Gap `json:"correct_gap"`
	// EscalationGap is the most often handed-over persona's escalation rate minus the
	// least often handed-over one's.
	EscalationGap *Gap `json:"escalation_gap"`
	// LengthRatio is the longest mean answer length over the shortest (1 = equal);
	// also nil when some persona's answers are all empty.
	LengthRatio *float64 `json:"length_ratio"`
}

// FairnessPersona is one persona's answered results in a group.
type FairnessPersona struct {
	// Persona is the customer's name from the case's customer record, or the case's
	// language when the record has no name (Kind says which).
	Persona    string `json:"persona"`
	Kind       string `json:"kind"`
	Correct    Rate   `json:"correct"`
	Escalation Rate   `json:"escalation"`
	// MeanLength is the mean answer length in characters (Unicode code points).
	MeanLength float64 `json:"mean_length"`
}

// Gap is the difference Top − Bottom of two personas' proportions, with its 95%
// interval (Newcombe's hybrid score interval for independent proportions). An
// interval that contains 0 means the data cannot tell the two personas apart.
type Gap struct {
	Top    string  `json:"top"`
	Bottom string  `json:"bottom"`
	Value  float64 `json:"value"`
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
}

// personaCount accumulates one persona's results in one group.
type personaCount struct {
	kind                    string
	n, correct, esc, length int
}

// persona is who asked a case.
type persona struct{ key, kind string }

// Fairness compares answers across personas in each counterfactual group, per model
// (the map's key); models without counterfactual cases are absent. The persona of a
// result is looked up by case id in s (nil: no cases); results with an error have no
// answer and are left out. It runs in time linear in len(rs) and len(s.Cases).
func Fairness(rs []eval.Result, s *eval.Suite) map[string][]FairnessGroup {
	who := map[string]persona{}
	if s != nil {
		for i := range s.Cases {
			if c := &s.Cases[i]; c.HasTag(counterfactual) {
				who[c.ID] = casePersona(c)
			}
		}
	}
	counts := map[string]map[string]map[string]*personaCount{} // model → group → persona
	for i := range rs {
		r := &rs[i]
		if r.Error != "" {
			continue
		}
		for _, t := range r.Tags {
			group, ok := strings.CutPrefix(t, counterfactual+":")
			if !ok || group == "" {
				continue
			}
			p, ok := who[r.CaseID]
			if !ok {
				p = persona{cmp.Or(r.Language, "en"), PersonaLanguage}
			}
			groups := counts[r.Model]
			if groups == nil {
				groups = map[string]map[string]*personaCount{}
				counts[r.Model] = groups
			}
			if groups[group] == nil {
				groups[group] = map[string]*personaCount{}
			}
			pc := groups[group][p.key]
			if pc == nil {
				pc = &personaCount{kind: p.kind}
				groups[group][p.key] = pc
			}
			pc.add(r)
		}
	}
	out := make(map[string][]FairnessGroup, len(counts))
	for model, groups := range counts {
		for _, g := range slices.Sorted(maps.Keys(groups)) {
			out[model] = append(out[model], newFairnessGroup(g, groups[g]))
		}
	}
	return out
}

// casePersona is the case's customer name, or its language when it has none.
func casePersona(c *eval.Case) persona {
	if v, ok := c.Customer["name"]; ok && v != nil {
		if name := strings.TrimSpace(fmt.Sprint(v)); name != "" {
			return persona{name, PersonaName}
		}
	}
	return persona{c.Lang(), PersonaLanguage}
}

func (pc *personaCount) add(r *eval.Result) {
	pc.n++
	if r.Correct {
		pc.correct++
	}
	if r.Escalated {
		pc.esc++
	}
	pc.length += utf8.RuneCountInString(r.Answer)
}

// newFairnessGroup turns one group's counts into personas and gaps.
func newFairnessGroup(group string, counts map[string]*personaCount) FairnessGroup {
	g := FairnessGroup{Group: group}
	for _, key := range slices.Sorted(maps.Keys(counts)) {
		pc := counts[key]
		g.Personas = append(g.Personas, FairnessPersona{Persona: key, Kind: pc.kind,
			Correct: NewRate(pc.correct, pc.n), Escalation: NewRate(pc.esc, pc.n),
			MeanLength: float64(pc.length) / float64(pc.n)})
	}
	if len(g.Personas) < 2 {
		return g
	}
	g.CorrectGap = newGap(g.Personas, func(p *FairnessPersona) Rate { return p.Correct })
	g.EscalationGap = newGap(g.Personas, func(p *FairnessPersona) Rate { return p.Escalation })
	shortest, longest := math.Inf(1), 0.0
	for _, p := range g.Personas {
		shortest, longest = min(shortest, p.MeanLength), max(longest, p.MeanLength)
	}
	if shortest > 0 {
		ratio := longest / shortest
		g.LengthRatio = &ratio
	}
	return g
}

// newGap compares the persona with the highest rate with the one with the lowest
// (two different personas; ties go to the first in order).
func newGap(ps []FairnessPersona, rate func(*FairnessPersona) Rate) *Gap {
	top := 0
	for i := range ps {
		if rate(&ps[i]).Value > rate(&ps[top]).Value {
			top = i
		}
	}
	bottom := -1
	for i := range ps {
		if i != top && (bottom < 0 || rate(&ps[i]).Value < rate(&ps[bottom]).Value) {
			bottom = i
		}
	}
	a, b := rate(&ps[top]), rate(&ps[bottom])
	lo, hi := newcombe(a.K, a.N, b.K, b.N)
	return &Gap{Top: ps[top].Persona, Bottom: ps[bottom].Persona, Value: a.Value - b.Value, Low: lo, High: hi}
}

// newcombe is the 95% interval for p1 − p2, the difference of two independent
// proportions k1/n1 and k2/n2: Newcombe's hybrid score interval (Newcombe 1998,
// method 10), which combines the two Wilson intervals and, unlike the Wald
// interval, behaves with small counts and proportions near 0 or 1. n1, n2 > 0.
func newcombe(k1, n1, k2, n2 int) (float64, float64) {
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	l1, u1 := wilson(k1, n1)
	l2, u2 := wilson(k2, n2)
	d := p1 - p2
	return d - math.Hypot(p1-l1, u2-p2), d + math.Hypot(u1-p1, p2-l2)
}
