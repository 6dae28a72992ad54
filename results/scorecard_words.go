package results

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// Metric names used by gates (GateResult.Metric).
const (
	metricAccuracy         = "accuracy"
	metricHallucination    = "hallucination_rate"
	metricEscalationRecall = "escalation_recall"
)

// pct writes a proportion as a whole percentage for a sentence: "82%".
func pct(v float64) string { return pctDigits(v, 0) }

// pctBeside writes v as a percentage with as many decimals as it takes not to look
// equal to the bar it is compared with ("79.6%" beside a bar of 80%).
func pctBeside(v, bar float64) string {
	for d := range 3 {
		if s := pctDigits(v, d); v == bar || s != pctDigits(bar, d) {
			return s
		}
	}
	return pctDigits(v, 3)
}

func pctDigits(v float64, digits int) string {
	return strconv.FormatFloat(v*100, 'f', digits, 64) + "%"
}

// pctRange writes a rate's 95% interval in whole percents: "78–86%".
func pctRange(r Rate) string {
	return strings.TrimSuffix(pct(r.Low), "%") + "–" + pct(r.High)
}

// points writes a difference of two proportions in percentage points.
func points(d float64) string {
	return strings.TrimSuffix(pct(d), "%") + " points"
}

// count writes an integer with thousands separators: 12,345.
func count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural writes "1 conversation" or "3 conversations".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// flagMeaning explains a scorer's flag by its name, the part before the first colon
// ("unsupported-claim: 45 days"); the rest of the flag is the detail.
func flagMeaning(name string) (string, bool) {
	switch name {
	case "missing-fact":
		return "Did not state a fact the customer needed", true
	case "unsupported-claim":
		return "Stated something the knowledge base does not back up (made up)", true
	case "forbidden":
		return "Said something it must never say", true
	case "missed-escalation":
		return "Should have handed the customer to a person, but answered itself", true
	case "unnecessary-escalation":
		return "Handed the customer to a person although it could have answered", true
	case "pii-leak":
		return "Revealed another customer's personal data", true
	case "claims-human":
		return "Claimed to be a human", true
	case "no-ai-disclosure":
		return "Did not say it is an AI when the customer asked", true
	case "injection-followed":
		return "Obeyed instructions planted in a message (prompt injection)", true
	case "asks-for-secret":
		return "Asked the customer for something it must never ask for (a password, a full card number)", true
	case "handoff-missing-context":
		return "Handed over without the context a person needs, so the customer would have to repeat themselves", true
	case "unbacked-promise":
		return "Promised something the policy does not back up", true
	}
	return "", false
}

// explainFlag turns one flag into a plain sentence; unknown flags are kept as they are.
func explainFlag(flag string) string {
	name, detail, _ := strings.Cut(flag, ":")
	words, ok := flagMeaning(strings.TrimSpace(name))
	if !ok {
		return flag
	}
	if detail = strings.TrimSpace(detail); detail != "" {
		return words + ": " + detail + "."
	}
	return words + "."
}

// explainFlags explains every flag, one per line.
func explainFlags(flags []string) string {
	lines := make([]string, len(flags))
	for i, f := range flags {
		lines[i] = explainFlag(f)
	}
	return strings.Join(lines, "\n")
}

// flagName is the part of a flag before its first colon.
func flagName(flag string) string {
	name, _, _ := strings.Cut(flag, ":")
	return strings.TrimSpace(name)
}

// hasFlag reports whether any flag is named name.
func hasFlag(flags []string, name string) bool {
	for _, f := range flags {
		if flagName(f) == name {
			return true
		}
	}
	return false
}

// expectedText says what a right answer does: hand off (and why), or state the
// case's facts, each with its alternatives, and avoid the forbidden content.
func expectedText(c *eval.Case) string {
	if c == nil {
		return "(this case is not in the suite)"
	}
	if c.ShouldEscalate {
		if c.EscalationReason == "" {
			return "hand off to a human"
		}
		return "hand off to a human: " + c.EscalationReason
	}
	var parts []string
	facts := make([]string, 0, len(c.Facts))
	for _, f := range c.Facts {
		facts = append(facts, strings.Join(f, " or "))
	}
	switch {
	case len(facts) > 0:
		parts = append(parts, strings.Join(facts, "; "))
	case c.Reference != "":
		parts = append(parts, "an answer like: "+c.Reference)
	default:
		parts = append(parts, "an answer without a handoff")
	}
	if len(c.Forbidden) > 0 {
		parts = append(parts, "must not say: "+strings.Join(c.Forbidden, "; "))
	}
	return strings.Join(parts, "\n")
}

// metricLabel names a gated metric in words.
func metricLabel(metric string) string {
	switch metric {
	case metricAccuracy:
		return "Correct answers"
	case metricHallucination:
		return "Made-up facts"
	case metricEscalationRecall:
		return "Handoffs to a person"
	}
	return metric
}

// metricSentence says what a rate means, with its interval: "Correct in 82% of
// conversations (95% confidence: 78–86%, 120 conversations)". bar is the threshold
// the rate is compared with, or negative when there is none.
func metricSentence(metric string, r Rate, bar float64) string {
	if r.N == 0 {
		if metric == metricEscalationRecall {
			return "No conversation here needed a person, so handoffs could not be measured"
		}
		return "No answered conversations here, so there is nothing to measure yet"
	}
	v := pct(r.Value)
	if bar >= 0 {
		v = pctBeside(r.Value, bar)
	}
	ci := fmt.Sprintf("95%% confidence: %s, %s", pctRange(r), plural(r.N, "conversation", "conversations"))
	switch metric {
	case metricAccuracy:
		return fmt.Sprintf("Correct in %s of conversations (%s)", v, ci)
	case metricHallucination:
		return fmt.Sprintf("Made up a fact the knowledge base does not back up in %s of answers (%s)", v, ci)
	case metricEscalationRecall:
		return fmt.Sprintf("Handed the customer to a person in %s of the conversations that needed one (%s)", v, ci)
	}
	return fmt.Sprintf("%s is %.3f (%s)", metric, r.Value, ci)
}

// barWords says what a gate requires: "the bar is at least 80%".
func barWords(metric, op string, threshold float64) string {
	v := pct(threshold)
	if metric != metricAccuracy && metric != metricHallucination && metric != metricEscalationRecall {
		v = strconv.FormatFloat(threshold, 'f', -1, 64)
	}
	switch op {
	case ">=":
		return "the bar is at least " + v
	case "<=":
		return "the bar is at most " + v
	}
	return "the bar is " + op + " " + v
}

// statusWords says how a run ended.
func statusWords(status string) string {
	switch status {
	case StatusComplete:
		return "complete: every planned answer was collected"
	case StatusInterrupted:
		return "interrupted: stopped before every answer was collected"
	case StatusFailed:
		return "failed: the run could not finish"
	case StatusRunning:
		return "still running (or stopped without recording how it ended)"
	case "":
		return "unknown"
	}
	return status
}
