package scorers

import (
	"slices"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

const policyKB = `Returns are accepted within 30 days of delivery. Refunds take 3-5 business days.
A return fee of €4.95 applies; Northwind Plus members return for free. Start at
https://northwind.example/returns/ or write to support@northwind.example. Call +31 20 555 1234,
from 9:00 to 17:30. Chat support is available 24/7. The Spring Sale ends on 1 March 2025 and
gives 20% off. Parcels up to 30 kg.`

// compiledCase compiles c against a one-article knowledge base.
func compiledCase(c eval.Case, kb string) *compiled {
	c.Knowledge = []string{"kb"}
	return New(&eval.Suite{Knowledge: map[string]string{"kb": kb}, Cases: []eval.Case{c}}).lookup(&c)
}

func TestHallucinations(t *testing.T) {
	t.Parallel()
	base := eval.Case{
		ID: "h", Question: "Hi, my order NW-482913 from 12 February arrived broken. I paid 59.90. Can I return it? My phone is 06 1234 5678.",
		Customer:  map[string]any{"name": "Anna Jansen", "orders": []any{map[string]any{"id": "NW-482913", "total": 59.9}}, "account": "ACC-77812"},
		Reference: "You can return it within 30 days at https://northwind.example/returns.",
	}
	tests := []struct {
		name, answer string
		want         []string // unsupported claims, as written
	}{
		{"all supported", "Return within 30 days; refunds take 3-5 business days and cost €4.95.", nil},
		{"equivalent forms", "You have a 30-day window, a 4,95 EUR fee, and refunds in three to five working days.", nil},
		{"range endpoint", "Refunds take up to 5 business days.", nil},
		{"business left out", "Refunds take 3 to 5 days.", nil},
		{"invented window", "Returns are accepted within 45 days.", []string{"45 days"}},
		{"near miss", "Returns are accepted within 300 days.", []string{"300 days"}},
		{"invented fee", "The return fee is €5.95.", []string{"€5.95"}},
		{"wrong currency", "The return fee is $4.95.", []string{"$4.95"}},
		{"url with and without slash", "Go to https://northwind.example/returns or northwind.example/returns/ or https://www.northwind.example/returns.", nil},
		{"parent url", "Visit northwind.example.", nil},
		{"invented url", "Visit https://northwind.example/refund-form.", []string{"https://northwind.example/refund-form"}},
		{"email", "Mail support@northwind.example.", nil},
		{"invented email", "Mail refunds@northwind.example.", []string{"refunds@northwind.example"}},
		{"phone other format", "Call 020-555 1234 or +31 (0)20 555 1234.", nil},
		{"invented phone", "Call 0800 999 8888.", []string{"0800 999 8888"}},
		{"customer's own order and account", "I found order NW-482913 (#482913) on account ACC-77812.", nil},
		{"invented order number", "Your replacement order NW-999111 is on its way.", []string{"NW-999111"}},
		{"numbers from the conversation", "Your order from 12 February cost 59.90 and we will call 06 1234 5678.", nil},
		{"24/7 stated", "Our chat is open 24/7.", nil},
		{"times", "Call between 9am and 5:30 pm.", nil},
		{"invented time", "Call between 8:00 and 17:30.", []string{"8:00"}},
		{"dates", "The sale ends 1 March; on 2025-03-01 precisely.", nil},
		{"invented date", "The sale ends 15 March.", []string{"15 March"}},
		{"percent", "You get 20% off, not 25%.", []string{"25%"}},
		{"quantity", "Parcels up to 30 kg; not 40 kg.", []string{"40 kg"}},
		{"ordinals and small counts", "1. Pack the item.\n2. Choose one of 2 options.\n3. Send 1 parcel.", nil},
		{"product name", "As a Northwind Plus member you return for free.", nil},
		{"invented product", "Upgrade to Northwind Premium Gold for free returns.", []string{"Northwind Premium Gold"}},
		{"invented plus product", "Our Care+ plan covers it.", []string{"Care+"}},
		{"customer name is no product", "Hello Anna Jansen, thanks!", nil},
		{"weeks as days", "You have 2 weeks.", []string{"2 weeks"}},
		{"repeated claim flagged once", "45 days. Yes, 45 days.", []string{"45 days"}},
	}
	cc := compiledCase(base, policyKB)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, c := range cc.ground.hallucinations(extractClaims(analyse(tt.answer), false), nil) {
				got = append(got, c.text)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("unsupported = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSupportScore(t *testing.T) {
	t.Parallel()
	cc := compiledCase(eval.Case{ID: "s", Question: "How long do refunds take?"}, policyKB)
	tests := []struct {
		name, answer string
		want         float64
		ok           bool
	}{
		{"grounded", "Refunds take 3-5 business days. Returns are accepted within 30 days of delivery.", 1, true},
		{"half grounded", "Refunds take 3-5 business days. Our warehouse robots sort parcels overnight automatically.", 0.5, true},
		{"pleasantries are not judged", "Hi! Thanks.", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := cc.ground.supportScore(analyse(tt.answer))
			if ok != tt.ok || got != tt.want {
				t.Errorf("support = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
