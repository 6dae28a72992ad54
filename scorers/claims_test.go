package scorers

import (
	"fmt"
	"slices"
	"testing"
)

func TestExtractClaims(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		german     bool
		want       []string // kind:text
	}{
		{"durations", "Return within 30 days or 3-5 business days, two weeks or 48 hours.", false,
			[]string{"dur:30 days", "dur:3-5 business days", "dur:two weeks", "dur:48 hours"}},
		{"money", "It costs €4.95, $10 or 15 euros; EUR 20 too.", false,
			[]string{"money:€4.95", "money:$10", "money:15 euros", "money:EUR 20"}},
		{"percent", "Save 20% or veinte por ciento.", false, []string{"pct:20%", "pct:veinte por ciento"}},
		{"dates and times", "On 1 March, March 2nd 2024 or 2024-03-01, from 9:00 to 17:30, or 5pm.", false,
			[]string{"date:2024-03-01", "date:1 March", "date:March 2nd 2024", "time:9:00", "time:17:30", "time:5pm"}},
		{"url email phone", "See https://northwind.example/returns/. Mail support@northwind.example or call +31 20 555 1234.", false,
			[]string{"url:https://northwind.example/returns/", "email:support@northwind.example", "phone:+31 20 555 1234"}},
		{"bare domain", "Go to northwind.example/track, e.g. today.", false, []string{"url:northwind.example/track"}},
		{"ids", "Order NW-123456, tracking 1Z999AA10123456784, ticket #4821 and order 12345678.", false,
			[]string{"id:NW-123456", "id:1Z999AA10123456784", "id:#4821", "id:12345678"}},
		{"names", "Our Care+ Extended Warranty and Northwind Plus are great. Thank You For Your Order!", false,
			[]string{"name:Care+ Extended Warranty", "name:Northwind Plus"}},
		{"greeting and headings are not names", "Dear Mr Jansen,\n\n**Return Policy:**\nNext Steps\nBest regards, Customer Support Team", false, nil},
		{"german nouns are not names", "Ihre Rücksendung Frist ist kurz. Mit Care+ Schutz.", true, []string{"name:Care+ Schutz"}},
		{"harmless numbers", "1. Choose one of 2 options.\n2. Send one item. It's 24/7 support.", false, []string{"phrase:24/7"}},
		{"bare decimals and big numbers", "It weighs 2.5 and we have 500 stores since 2015.", false, []string{"num:2.5", "num:500"}},
		{"quantities", "Up to 20 kg or 50 GB.", false, []string{"qty:20 kg", "qty:50 GB"}},
		{"figures of speech", "I'm 100% sure; 0% interest.", false, nil},
		{"german answer in any case", "Ich verstehe Ihren Ärger. Ihr Fall ist bei uns in guten Händen.", false, nil},
		{"contractions are not names", "I'm Northwind's virtual assistant. I'll Help.", false, nil},
		{"title case sentence", "Your Refund Arrives Within 5 Business Days And Costs Nothing.", false, []string{"dur:5 Business Days"}},
		{"card-like number is one id", "Number 4111 1111 1111 1112 here.", false, []string{"id:4111 1111 1111 1112"}},
		{"numbers inside a URL are not durations", "See northwind.example/returns-30-days now.", false, []string{"url:northwind.example/returns-30-days"}},
	}
	names := map[ckind]string{cMoney: "money", cPercent: "pct", cDuration: "dur", cQuantity: "qty", cDate: "date", cTime: "time",
		cURL: "url", cEmail: "email", cPhone: "phone", cID: "id", cNumber: "num", cName: "name", cPhrase: "phrase"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, c := range extractClaims(analyse(tt.text), tt.german) {
				got = append(got, fmt.Sprintf("%s:%s", names[c.kind], c.text))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("claims = %q\nwant     %q", got, tt.want)
			}
		})
	}
}

func TestClaimKeysAgree(t *testing.T) {
	t.Parallel()
	// Equivalent claims share a key, so one backs the other.
	same := [][]string{
		{"30 days", "30-day", "thirty days", "30 dagen", "30 Tage"},
		{"2 weeks", "14 days", "two weeks", "vierzehn Tage"},
		{"48 hours", "2 days"},
		{"1 year", "12 months"},
		{"€4.95", "4,95 euros", "EUR 4.95", "4.95 €"},
		{"1 March", "March 1st", "1er mars", "1 maart"},
		{"9:00", "9am", "09:00", "9 Uhr"},
	}
	for _, group := range same {
		var first string
		for _, s := range group {
			cs := extractClaims(analyse(s), false)
			if len(cs) != 1 {
				t.Errorf("%q: %d claims, want 1", s, len(cs))
				continue
			}
			if first == "" {
				first = cs[0].key
			} else if cs[0].key != first {
				t.Errorf("%q: key %q, want %q (as %q)", s, cs[0].key, first, group[0])
			}
		}
	}
}
