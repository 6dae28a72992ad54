package datasets

import (
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/supportbench/supportbench/eval"
	"golang.org/x/text/language"
)

// checker validates cases against the suite they belong to. It is read-only once built,
// so cases are checked in parallel; each worker keeps its own cache of compiled patterns.
type checker struct {
	knowledge  map[string]string
	articleIDs []string // sorted, for suggestions
	grounds    *grounds
	// languages are the suite's languages (canonical tags); nil when not restricted.
	languages []string
	label     string
}

func newChecker(knowledge map[string]string, languages []string, label string) *checker {
	ids := make([]string, 0, len(knowledge))
	for id := range knowledge {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return &checker{knowledge: knowledge, articleIDs: ids, grounds: newGrounds(knowledge), languages: languages, label: label}
}

// checkAll validates every entry and returns the cases (meaningful only when there are
// no problems) and the problems found.
func (ck *checker) checkAll(entries []entry) ([]eval.Case, []Problem) {
	cases := make([]eval.Case, len(entries))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(entries)/256))
	found := make([][]Problem, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			v := caseCheck{checker: ck, patterns: make(map[string]error), tags: make(map[string]string)}
			for i := w; i < len(entries); i += workers {
				if entries[i].unreadable() {
					continue
				}
				v.e, v.ps = &entries[i], found[w]
				cases[i] = v.check()
				found[w] = v.ps
			}
		})
	}
	wg.Wait()
	var ps []Problem
	for _, f := range found {
		ps = append(ps, f...)
	}
	return cases, append(ps, ck.duplicates(entries)...)
}

// duplicates reports every repeated id at its position, naming the first one.
func (ck *checker) duplicates(entries []entry) []Problem {
	var ps []Problem
	first := make(map[string]*entry, len(entries))
	for i := range entries {
		e := &entries[i]
		id := strings.TrimSpace(e.rc.ID)
		if id == "" {
			continue
		}
		if f, dup := first[id]; dup {
			ps = append(ps, Problem{at: e.pos("id"), Field: "id", Msg: fmt.Sprintf("duplicate id %q (also at %s); ids must be unique in the suite", id, f.pos("id").format(ck.label))})
			continue
		}
		first[id] = e
	}
	return ps
}

// caseCheck is one worker's state while it checks one entry.
type caseCheck struct {
	*checker
	patterns map[string]error
	tags     map[string]string // language tag as written → canonical, "" when invalid
	scratch  []byte            // the folded grounding of the current case
	e        *entry
	ps       []Problem
}

func (v *caseCheck) add(field, format string, args ...any) {
	v.ps = append(v.ps, Problem{at: v.e.pos(field), Field: field, Msg: fmt.Sprintf(format, args...)})
}

// missing reports whether a required field is absent and should be reported: not when
// its decoding already failed, nor when its whole column is missing (reported once).
func (v *caseCheck) missing(field string, absent bool) bool {
	return absent && !v.e.isBad(field) && !v.e.src.absent[field]
}

func (v *caseCheck) check() eval.Case {
	rc := &v.e.rc
	if v.missing("id", strings.TrimSpace(rc.ID) == "") {
		v.add("id", "missing; every case needs an id, unique in the suite")
	}
	if v.missing("category", strings.TrimSpace(rc.Category) == "") {
		v.add("category", "missing; every case needs a category (its intent, e.g. refunds)")
	}
	if v.missing("should_escalate", rc.ShouldEscalate == nil) {
		v.add("should_escalate", "missing; write true if the right answer is a handoff to a human, false otherwise")
	}
	v.checkConversation()
	v.checkKnowledge()
	v.checkFacts()
	v.checkItems("forbidden", rc.Forbidden)
	v.checkItems("tags", rc.Tags)
	for _, t := range rc.Tags {
		if strings.TrimSpace(t) == "counterfactual:" {
			v.add("tags", "counterfactual needs a group: counterfactual:<group>, shared by the variants of one question")
		}
	}
	risk := strings.ToLower(strings.TrimSpace(rc.Risk))
	if risk != "" && risk != eval.RiskLow && risk != eval.RiskMedium && risk != eval.RiskHigh {
		v.add("risk", "must be low, medium or high, got %q", rc.Risk)
	}
	return v.build(risk, v.checkLanguage())
}

func (v *caseCheck) checkConversation() {
	rc := &v.e.rc
	if v.e.isBad("question") || v.e.isBad("messages") {
		return // already reported; what was decoded is partial
	}
	hasQ, hasM := rc.Question != nil, rc.Messages != nil
	switch {
	case hasQ && hasM:
		v.add("question", "question and messages are both set; use question for a single message or messages for a conversation, not both")
		return
	case !hasQ && !hasM:
		if !v.e.isBad("question") && !v.e.isBad("messages") && !v.e.src.absent["question"] {
			v.add("question", "missing; give the customer's message as question, or a conversation as messages")
		}
		return
	case hasQ:
		if strings.TrimSpace(*rc.Question) == "" {
			v.add("question", "is empty; write the customer's message")
		}
		return
	case len(rc.Messages) == 0:
		v.add("messages", "is empty; list the turns of the conversation, ending with the customer's")
		return
	}
	for i, m := range rc.Messages {
		switch role := strings.ToLower(strings.TrimSpace(m.Role)); {
		case m.Role == eval.RoleCustomer || m.Role == eval.RoleAgent:
		case role == eval.RoleCustomer || role == eval.RoleAgent:
			v.add("messages", "turn %d: role %q: write %s, in lower case", i+1, m.Role, role)
		case role == "user" || role == "human":
			v.add("messages", "turn %d: role %q: write customer", i+1, m.Role)
		case role == "assistant" || role == "bot" || role == "ai":
			v.add("messages", "turn %d: role %q: write agent", i+1, m.Role)
		default:
			v.add("messages", "turn %d: role %q must be customer or agent", i+1, m.Role)
		}
		if strings.TrimSpace(m.Content) == "" {
			v.add("messages", "turn %d: content is empty", i+1)
		}
	}
	if last := rc.Messages[len(rc.Messages)-1]; last.Role == eval.RoleAgent {
		v.add("messages", "the conversation must end with a customer turn, which the model answers; it ends with an agent turn")
	}
}

func (v *caseCheck) checkKnowledge() {
	if v.e.isBad("knowledge") {
		return
	}
	for i, id := range v.e.rc.Knowledge {
		id = strings.TrimSpace(id)
		switch _, ok := v.knowledge[id]; {
		case id == "":
			v.add("knowledge", "item %d is empty", i+1)
		case !ok:
			v.add("knowledge", "unknown article %q%s; articles are the files in knowledge/ (id = file name without .md or .txt)", id, suggest(id, v.articleIDs))
		}
	}
}

// checkFacts checks each fact's alternatives: patterns must compile, and a fact with
// literal alternatives must have one that is grounded (see grounds).
func (v *caseCheck) checkFacts() {
	if v.e.isBad("facts") {
		return
	}
	// Grounding is judged only on a fully decoded case, or it would blame the facts
	// for a grounding source that failed to decode.
	judge := !slices.ContainsFunc([]string{"knowledge", "reference", "customer", "question", "messages"}, v.e.isBad)
	cg := caseGrounds{g: v.grounds, rc: &v.e.rc, buf: &v.scratch}
	for i, f := range v.e.rc.Facts {
		var literals []string
		grounded, empty := false, len(f) == 0
		for _, alt := range f {
			if strings.TrimSpace(alt) == "" {
				empty = true
				continue
			}
			if expr, ok := eval.IsPattern(alt); ok {
				if err := v.compile(expr); err != nil {
					v.add("facts", "fact %d: invalid regular expression %s: %v", i+1, alt, err)
				}
				continue
			}
			literals = append(literals, alt)
			grounded = grounded || (judge && cg.has(alt))
		}
		if empty {
			v.add("facts", "fact %d is empty or has an empty alternative", i+1)
		}
		if judge && len(literals) > 0 && !grounded {
			v.add("facts", "fact %d (%s) is not stated in %s, the reference, the customer record or the conversation: a fact that cannot be grounded is a label bug; fix the fact, or add the article that states it to knowledge", i+1, quoteAlternatives(literals), v.articlesPhrase())
		}
	}
}

func quoteAlternatives(alts []string) string {
	q := make([]string, len(alts))
	for i, a := range alts {
		q[i] = fmt.Sprintf("%q", a)
	}
	if len(q) == 1 {
		return q[0]
	}
	return "none of " + strings.Join(q, ", ")
}

func (v *caseCheck) articlesPhrase() string {
	if len(v.e.rc.Knowledge) == 0 {
		return "any knowledge article (the case cites none)"
	}
	return "its knowledge (" + strings.Join(v.e.rc.Knowledge, ", ") + ")"
}

// checkItems checks a list of strings whose /.../ items are patterns (forbidden), or
// plain labels (tags).
func (v *caseCheck) checkItems(field string, items []string) {
	for i, item := range items {
		if strings.TrimSpace(item) == "" {
			v.add(field, "item %d is empty", i+1)
			continue
		}
		if expr, ok := eval.IsPattern(item); ok && field == "forbidden" {
			if err := v.compile(expr); err != nil {
				v.add(field, "item %d: invalid regular expression %s: %v", i+1, item, err)
			}
		}
	}
}

// compile checks a /.../ pattern the way scorers use it: case-insensitive.
func (v *caseCheck) compile(expr string) error {
	if err, ok := v.patterns[expr]; ok {
		return err
	}
	var err error
	if strings.TrimSpace(expr) == "" {
		err = fmt.Errorf("the pattern is empty")
	} else if _, err = regexp.Compile("(?i)" + expr); err != nil {
		if _, plain := regexp.Compile(expr); plain != nil {
			err = plain // the same error, without the (?i) the message would otherwise show
		}
		err = fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	v.patterns[expr] = err
	return err
}

// checkLanguage validates the language tag and returns it in canonical form.
func (v *caseCheck) checkLanguage() string {
	raw := strings.TrimSpace(v.e.rc.Language)
	lang := "en"
	if raw != "" {
		canon, seen := v.tags[raw]
		if !seen {
			if tag, err := language.Parse(raw); err == nil {
				canon = tag.String()
			}
			v.tags[raw] = canon
		}
		if canon == "" {
			v.add("language", "%q is not a BCP-47 language tag (write e.g. en, de, pt-BR)", raw)
			return raw
		}
		lang = canon
	}
	if v.languages != nil && !covers(v.languages, lang) {
		what := fmt.Sprintf("%q", lang)
		if raw == "" {
			what = "en (the default)"
		}
		v.add("language", "%s is not among the suite's languages (%s); add it to languages in suite.yaml or fix the case", what, strings.Join(v.languages, ", "))
	}
	if raw == "" {
		return ""
	}
	return lang
}

// covers reports whether lang is one of langs, or a regional variant of one ("pt" covers "pt-BR").
func covers(langs []string, lang string) bool {
	for _, l := range langs {
		if strings.EqualFold(l, lang) || strings.HasPrefix(strings.ToLower(lang), strings.ToLower(l)+"-") {
			return true
		}
	}
	return false
}

// build converts the entry into an eval.Case with trimmed labels.
func (v *caseCheck) build(risk, lang string) eval.Case {
	rc := &v.e.rc
	c := eval.Case{
		ID:               strings.TrimSpace(rc.ID),
		Category:         strings.TrimSpace(rc.Category),
		Messages:         rc.Messages,
		Knowledge:        trimAll(rc.Knowledge),
		Customer:         rc.Customer,
		OtherRecords:     rc.OtherRecords,
		Reference:        rc.Reference,
		Forbidden:        rc.Forbidden,
		EscalationReason: strings.TrimSpace(rc.EscalationReason),
		Tags:             trimAll(rc.Tags),
		Risk:             risk,
		Language:         lang,
		Source:           v.e.pos("").format(""),
	}
	if rc.Question != nil {
		c.Question = *rc.Question
	}
	if rc.ShouldEscalate != nil {
		c.ShouldEscalate = *rc.ShouldEscalate
	}
	if len(rc.Facts) > 0 {
		c.Facts = make([]eval.Fact, len(rc.Facts))
		for i, f := range rc.Facts {
			c.Facts[i] = eval.Fact(f)
		}
	}
	return c
}

func trimAll(items []string) []string {
	for i, s := range items {
		items[i] = strings.TrimSpace(s)
	}
	return items
}
