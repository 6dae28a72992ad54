package results

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// ScoringModel is a model that graded the answers of a run beside the deterministic
// scorers (--judge, --embed-model), as manifest.json records it.
type ScoringModel struct {
	Name     string `json:"name"`
	Digest   string `json:"digest,omitempty"`
	Endpoint string `json:"endpoint"`
	// PromptVersion is the judge prompt's version (the judge only).
	PromptVersion string `json:"prompt_version,omitempty"`
	// NumCtx is the context window of the judge's requests (the judge only).
	NumCtx int `json:"num_ctx,omitempty"`
}

// JudgeAgreement is how often a judge model's verdicts agree with the deterministic
// ones on one model's answers.
type JudgeAgreement struct {
	// Model and PromptVersion are the judge's (joined with ", " when the results mix several).
	Model         string `json:"model"`
	PromptVersion string `json:"prompt_version"`
	// N is the number of answers the judge graded; Errors those it failed to grade,
	// which are left out of the rates.
	N      int `json:"n"`
	Errors int `json:"errors"`
	// Correct, Escalated and Hallucinated are the shares of the N answers on which the
	// judge's verdict equals the deterministic one.
	Correct      Rate `json:"correct"`
	Escalated    Rate `json:"escalated"`
	Hallucinated Rate `json:"hallucinated"`
	// KappaCorrect is Cohen's kappa of the two correct verdicts: agreement beyond
	// chance, 1 perfect, 0 no better than chance. Null when undefined: no answer, or
	// both gave every answer the same verdict.
	KappaCorrect *float64 `json:"kappa_correct"`
}

// NewJudgeAgreement compares the judge's and the deterministic verdicts of rs; nil when
// no answer of rs has a judge verdict.
func NewJudgeAgreement(rs []*eval.Result) *JudgeAgreement {
	var ja JudgeAgreement
	var models, versions []string
	var correct, escalated, halluc int
	var table [2][2]int // [deterministic correct][judge correct]
	seen := false
	for _, r := range rs {
		jd := r.Judge
		if r.Error != "" || jd == nil {
			continue
		}
		seen = true
		models, versions = appendNew(models, jd.Model), appendNew(versions, jd.PromptVersion)
		if jd.Error != "" {
			ja.Errors++
			continue
		}
		ja.N++
		correct += agree(r.Correct, jd.Correct)
		escalated += agree(r.Escalated, jd.Escalated)
		halluc += agree(r.Hallucinated, jd.Hallucinated)
		table[b2i(r.Correct)][b2i(jd.Correct)]++
	}
	if !seen {
		return nil
	}
	slices.Sort(models)
	slices.Sort(versions)
	ja.Model, ja.PromptVersion = strings.Join(models, ", "), strings.Join(versions, ", ")
	ja.Correct, ja.Escalated, ja.Hallucinated = NewRate(correct, ja.N), NewRate(escalated, ja.N), NewRate(halluc, ja.N)
	if k, ok := CohenKappa(table); ok {
		ja.KappaCorrect = &k
	}
	return &ja
}

// CohenKappa is Cohen's kappa of two raters' yes/no verdicts, from the table of
// counts t[a][b] (a and b are 1 for yes): (po - pe) / (1 - pe), with po the observed
// agreement and pe the agreement expected by chance from each rater's share of yes.
// ok is false when kappa is undefined (no items, or pe = 1).
func CohenKappa(t [2][2]int) (kappa float64, ok bool) {
	n := float64(t[0][0] + t[0][1] + t[1][0] + t[1][1])
	if n == 0 {
		return 0, false
	}
	po := float64(t[0][0]+t[1][1]) / n
	a := float64(t[1][0]+t[1][1]) / n
	b := float64(t[0][1]+t[1][1]) / n
	pe := a*b + (1-a)*(1-b)
	if pe >= 1 {
		return 0, false
	}
	return (po - pe) / (1 - pe), true
}

// judgeSentence says in one line how far the judge agrees with the deterministic
// verdicts.
func judgeSentence(ja *JudgeAgreement) string {
	who := fmt.Sprintf("Judge (%s, %s)", ja.Model, ja.PromptVersion)
	if ja.N == 0 {
		return fmt.Sprintf("%s could not grade any answer (%s).", who, plural(ja.Errors, "error", "errors"))
	}
	kappa := ""
	if ja.KappaCorrect != nil {
		kappa = fmt.Sprintf(" (Cohen's κ %.2f)", *ja.KappaCorrect)
	}
	s := fmt.Sprintf("%s agrees with the deterministic verdicts on %s of answers for correct%s, %s for handoff and %s for made-up facts; n=%d",
		who, pctDigits(ja.Correct.Value, 1), kappa, pctDigits(ja.Escalated.Value, 1), pctDigits(ja.Hallucinated.Value, 1), ja.N)
	if ja.Errors > 0 {
		s += fmt.Sprintf(", %s not graded (judge error)", plural(ja.Errors, "answer", "answers"))
	}
	return s + "."
}

// mdJudge writes one line per model with a judge verdict; nothing without a judge.
func (sc *scorecard) mdJudge(w io.Writer) {
	wrote := false
	for _, model := range sc.models {
		if ja := sc.modelSummary(model).Judge; ja != nil {
			fmt.Fprintf(w, "- **%s**: %s\n", md(model, 0), md(judgeSentence(ja), 0))
			wrote = true
		}
	}
	if wrote {
		fmt.Fprintln(w)
	}
}

// summaryJudge writes the judge's agreement per model below the Summary table, from
// the row after row on, and returns the last row written (row without a judge).
func (sc *scorecard) summaryJudge(g *grid, row int) int {
	for _, model := range sc.models {
		if ja := sc.modelSummary(model).Judge; ja != nil {
			row++
			g.para(1, 19, row, model+": "+judgeSentence(ja), sc.st.wrap, 170)
		}
	}
	return row
}

func agree(a, b bool) int {
	if a == b {
		return 1
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
