package datasets

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// Inventory summarises what a suite contains, for `supportbench validate` and for
// checking that a suite covers what it should.
type Inventory struct {
	Name string
	Hash string
	// Cases is the number of cases; MultiTurn of them are conversations of more than one turn.
	Cases     int
	MultiTurn int
	// Escalate is the number of cases whose right answer is a handoff.
	Escalate int
	// Articles is the number of knowledge articles.
	Articles int
	// Categories, Reasons, Languages and Tags count cases, most frequent first.
	// Tags counts each counterfactual:<group> tag under "counterfactual".
	Categories []CategoryCount
	Reasons    []Count
	Languages  []Count
	Tags       []Count
	// Counterfactual lists the counterfactual groups: variants of one question asked by
	// different customers, which must get the same quality and the same decision.
	Counterfactual []Group
}

// Count is how many cases carry a label.
type Count struct {
	Name  string
	Cases int
}

// CategoryCount is how many cases a category has, and how many of them should escalate.
type CategoryCount struct {
	Name     string
	Cases    int
	Escalate int
}

// Group is a counterfactual group: its cases and how many distinct customer records
// they are asked by.
type Group struct {
	Name      string
	Cases     int
	Customers int
}

// EscalateShare is the share of cases that should escalate, 0 for an empty suite.
func (inv Inventory) EscalateShare() float64 {
	if inv.Cases == 0 {
		return 0
	}
	return float64(inv.Escalate) / float64(inv.Cases)
}

// Summarize counts the contents of a suite.
func Summarize(s *eval.Suite) Inventory {
	inv := Inventory{Name: s.Name, Hash: s.Hash, Cases: len(s.Cases), Articles: len(s.Knowledge)}
	cats := map[string]*CategoryCount{}
	reasons, langs, tags := map[string]int{}, map[string]int{}, map[string]int{}
	groups := map[string]*Group{}
	groupCustomers := map[string]map[string]bool{}
	for i := range s.Cases {
		c := &s.Cases[i]
		cat := cats[c.Category]
		if cat == nil {
			cat = &CategoryCount{Name: c.Category}
			cats[c.Category] = cat
		}
		cat.Cases++
		if c.ShouldEscalate {
			inv.Escalate++
			cat.Escalate++
			if c.EscalationReason != "" {
				reasons[c.EscalationReason]++
			}
		}
		if len(c.Messages) > 1 {
			inv.MultiTurn++
		}
		langs[c.Lang()]++
		for _, t := range c.Tags {
			group, ok := strings.CutPrefix(t, "counterfactual:")
			if !ok {
				tags[t]++
				continue
			}
			tags["counterfactual"]++
			g := groups[group]
			if g == nil {
				g, groupCustomers[group] = &Group{Name: group}, map[string]bool{}
				groups[group] = g
			}
			g.Cases++
			if len(c.Customer) > 0 {
				b, _ := json.Marshal(c.Customer) // map keys are sorted: a stable identity
				groupCustomers[group][string(b)] = true
			}
		}
	}
	for _, c := range cats {
		inv.Categories = append(inv.Categories, *c)
	}
	slices.SortFunc(inv.Categories, func(a, b CategoryCount) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Name, b.Name))
	})
	for name, g := range groups {
		g.Customers = len(groupCustomers[name])
		inv.Counterfactual = append(inv.Counterfactual, *g)
	}
	slices.SortFunc(inv.Counterfactual, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Name, b.Name))
	})
	inv.Reasons, inv.Languages, inv.Tags = counts(reasons), counts(langs), counts(tags)
	return inv
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for name, n := range m {
		out = append(out, Count{name, n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// WriteText writes the inventory as short aligned tables, the same bytes for the same suite.
func (inv Inventory) WriteText(w io.Writer) error {
	hash := inv.Hash
	if len(hash) > 12 {
		hash = hash[:12]
	}
	t := &textTables{w: w}
	t.table(nil, [][]string{
		{"suite", inv.Name},
		{"hash", hash},
		{"cases", fmt.Sprintf("%d (%d multi-turn)", inv.Cases, inv.MultiTurn)},
		{"escalate", fmt.Sprintf("%d (%.1f%%)", inv.Escalate, 100*inv.EscalateShare())},
		{"knowledge", fmt.Sprintf("%d articles", inv.Articles)},
	})
	var rows [][]string
	for _, c := range inv.Categories {
		rows = append(rows, []string{c.Name, strconv.Itoa(c.Cases), strconv.Itoa(c.Escalate)})
	}
	t.table([]string{"category", "cases", "escalate"}, rows)
	t.table([]string{"escalation reason", "cases"}, countRows(inv.Reasons))
	t.table([]string{"language", "cases"}, countRows(inv.Languages))
	t.table([]string{"tag", "cases"}, countRows(inv.Tags))
	rows = nil
	for _, g := range inv.Counterfactual {
		rows = append(rows, []string{g.Name, strconv.Itoa(g.Cases), strconv.Itoa(g.Customers)})
	}
	t.table([]string{"counterfactual group", "cases", "customers"}, rows)
	return t.err
}

func countRows(cs []Count) [][]string {
	rows := make([][]string, len(cs))
	for i, c := range cs {
		rows[i] = []string{c.Name, strconv.Itoa(c.Cases)}
	}
	return rows
}

// textTables writes tables separated by blank lines: the first column left-aligned,
// the others (numbers) right-aligned. Tables without rows are left out.
type textTables struct {
	w       io.Writer
	written bool
	err     error
}

func (t *textTables) table(header []string, rows [][]string) {
	if len(rows) == 0 || t.err != nil {
		return
	}
	all := rows
	if header != nil {
		all = append([][]string{header}, rows...)
	}
	widths := make([]int, len(all[0]))
	for _, r := range all {
		for i, cell := range r {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	var b strings.Builder
	if t.written {
		b.WriteByte('\n')
	}
	for _, r := range all {
		for i, cell := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			switch {
			case i == 0 && len(r) == 1:
				b.WriteString(cell)
			case i == 0:
				b.WriteString(cell + pad)
			case header == nil:
				b.WriteString("  " + cell) // key/value block: values left-aligned
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteByte('\n')
	}
	t.written = true
	_, t.err = io.WriteString(t.w, b.String())
}
