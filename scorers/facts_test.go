package scorers

import (
	"slices"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func TestFacts(t *testing.T) {
	t.Parallel()
	refund := &eval.Case{
		Facts:     []eval.Fact{{"30 days", "one month"}, {"€4.95"}, {"/prepaid (return )?label/"}},
		Forbidden: []string{"full refund", "/free returns?/"},
	}
	tests := []struct {
		name          string
		c             *eval.Case
		answer        string
		wantMissing   []string
		wantForbidden []string
		wantRecall    float64
	}{
		{"all facts, literal", refund, "Return within 30 days; a fee of €4.95 applies. We email a prepaid label.", nil, nil, 1},
		{"paraphrased numbers", refund, "You have thirty days. The fee is 4,95 euros and we send a prepaid return label.", nil, nil, 1},
		{"hyphenated duration", refund, "There is a 30-day window, a EUR 4.95 fee and a prepaid label.", nil, nil, 1},
		{"second alternative", refund, "You have one month; the fee is 4.95 EUR; prepaid label included.", nil, nil, 1},
		{"other language", refund, "U heeft dertig dagen. De kosten zijn € 4,95 en u krijgt een prepaid label.", nil, nil, 1},
		{"near miss 300 days", refund, "You have 300 days. Fee €4.95. Prepaid label.", []string{"30 days"}, nil, 2.0 / 3},
		{"wrong amount", refund, "Within 30 days, fee €4.59, prepaid label.", []string{"€4.95"}, nil, 2.0 / 3},
		{"regex fact missing", refund, "Within 30 days, fee €4.95, print your own label.", []string{"/prepaid (return )?label/"}, nil, 2.0 / 3},
		{"nothing", refund, "Please contact us.", []string{"30 days", "€4.95", "/prepaid (return )?label/"}, nil, 0},
		{"forbidden present", refund, "30 days, €4.95, prepaid label, and you get a full refund.", nil, []string{"full refund"}, 1},
		{"forbidden negated", refund, "30 days, €4.95, prepaid label. This is not a full refund.", nil, nil, 1},
		{"forbidden negated in Dutch", refund, "30 dagen, €4,95, prepaid label. U krijgt geen full refund.", nil, nil, 1},
		{"forbidden regex", refund, "30 days, €4.95, prepaid label. Free return!", nil, []string{"/free returns?/"}, 1},
		{"case-insensitive regex", refund, "30 days, €4.95, PREPAID RETURN LABEL.", nil, nil, 1},
		{"no facts", &eval.Case{}, "Anything.", nil, nil, 1},
		{"bad regex is literal", &eval.Case{Facts: []eval.Fact{{"/[unclosed/"}}}, "this has [unclosed in it", nil, nil, 1},
		{"punctuation-only fact", &eval.Case{Facts: []eval.Fact{{"!!!"}}}, "wow!!!", nil, nil, 1},
		{"accented regex", &eval.Case{Facts: []eval.Fact{{"/días/"}}}, "Tiene 30 dias.", nil, nil, 1},
		{"duration by value", &eval.Case{Facts: []eval.Fact{{"within 14 days"}}}, "You have two weeks.", nil, nil, 1},
		{"hours as days", &eval.Case{Facts: []eval.Fact{{"2 days"}}}, "Expect it in 48 hours.", nil, nil, 1},
		{"other duration", &eval.Case{Facts: []eval.Fact{{"14 days"}}}, "You have three weeks.", []string{"14 days"}, nil, 0},
		{"business days are not days", &eval.Case{Facts: []eval.Fact{{"14 days"}}}, "You have 14 business days.", []string{"14 days"}, nil, 0},
		{"forbidden by value", &eval.Case{Forbidden: []string{"60 days"}}, "You have 1440 hours.", nil, []string{"60 days"}, 1},
		{"forbidden by value, negated", &eval.Case{Forbidden: []string{"60 days"}}, "It is not 1440 hours.", nil, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx := analyse(tt.answer)
			r := newFacts(tt.c).check(tx, extractClaims(tx, false))
			if !slices.Equal(r.missing, tt.wantMissing) {
				t.Errorf("missing = %q, want %q", r.missing, tt.wantMissing)
			}
			if !slices.Equal(r.forbidden, tt.wantForbidden) {
				t.Errorf("forbidden = %q, want %q", r.forbidden, tt.wantForbidden)
			}
			if diff := r.recall - tt.wantRecall; diff > 1e-9 || diff < -1e-9 {
				t.Errorf("recall = %v, want %v", r.recall, tt.wantRecall)
			}
		})
	}
}
