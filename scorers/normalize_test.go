package scorers

import "testing"

func TestNormalizeEquivalents(t *testing.T) {
	t.Parallel()
	groups := []struct {
		name  string
		forms []string
		want  string
	}{
		{"durations in five languages", []string{"14 days", "fourteen days", "14-day", "14 Days", "veertien dagen", "vierzehn Tage", "catorce días", "quatorze jours", "14-daagse", "14-tägige"}, "14 day"},
		{"money", []string{"€15", "15 euros", "EUR 15", "15 €", "15,00 €", "€ 15.00", "15 Euro", "fifteen euros"}, "15 eur"},
		{"decimal comma", []string{"4.95", "4,95"}, "4.95"},
		{"money with cents", []string{"€4,95", "4.95 euros", "EUR 4.95", "4,95 €"}, "4.95 eur"},
		{"thousands", []string{"1.000", "1,000", "1000", "one thousand", "mil", "duizend"}, "1000"},
		{"decimal and thousands", []string{"1.234,56", "1,234.56"}, "1234.56"},
		{"business-day ranges", []string{"3-5 business days", "3 to 5 working days", "3–5 business days", "drie tot vijf werkdagen", "3 bis 5 Werktage", "3 a 5 días hábiles", "3 à 5 jours ouvrés"}, "3 - 5 business day"},
		{"compound number words", []string{"twenty-one", "twenty one", "vingt et un", "einundzwanzig", "eenentwintig", "veintiuno", "21"}, "21"},
		{"french seventies and nineties", []string{"quatre-vingt-dix-sept", "97"}, "97"},
		{"dutch diaeresis", []string{"tweeëntwintig", "22"}, "22"},
		{"hundreds", []string{"two hundred fifty", "250"}, "250"},
		{"french cents", []string{"deux cents euros", "200 euros"}, "200 eur"},
		{"times", []string{"17:30", "5:30 pm", "5:30pm"}, "17:30"},
		{"leading zero hour", []string{"09:00", "9:00", "9am", "9 AM", "9 Uhr"}, "9:00"},
		{"french time", []string{"9h30", "9:30"}, "9:30"},
		{"percent", []string{"20%", "20 %", "20 percent", "twenty per cent", "20 Prozent", "veinte por ciento", "vingt pour cent", "20 procent"}, "20 %"},
		{"ordinals", []string{"1st March", "1 March"}, "1 march"},
		{"compatibility forms", []string{"ﬁle", "file", "ＦＩＬＥ"}, "file"},
		{"case and accents", []string{"CAFÉ", "café", "cafe"}, "cafe"},
		{"sharp s", []string{"Straße", "strasse"}, "strasse"},
		{"whitespace", []string{"  a \t\n b  ", "a b"}, "a b"},
		{"hours", []string{"48 hours", "48h", "48 uur", "48 Stunden", "48 horas", "48 heures"}, "48 hour"},
		{"weeks", []string{"2 weeks", "two weeks", "twee weken", "zwei Wochen", "dos semanas", "deux semaines"}, "2 week"},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, f := range g.forms {
				if got := Normalize(f); got != g.want {
					t.Errorf("Normalize(%q) = %q, want %q", f, got, g.want)
				}
			}
		})
	}
}

func TestNormalizeKeepsDifferencesApart(t *testing.T) {
	t.Parallel()
	pairs := []struct{ a, b string }{
		{"30 days", "300 days"},
		{"14 days", "14 business days"},
		{"€15", "$15"},
		{"4.95", "49.5"},
		{"1.5 days", "15 days"},
		{"a day", "1 day"},            // articles are not "one"
		{"een dag", "1 dag"},          // nor in Dutch
		{"50 cent", "100"},            // "cent" after digits is money
		{"I am here", "9:00 here"},    // "am" only after a number
		{"care+", "care"},             // the plus of a product name is kept
		{"sept jours", "7 september"}, // seven days, not a date
	}
	for _, p := range pairs {
		if Normalize(p.a) == Normalize(p.b) {
			t.Errorf("Normalize(%q) == Normalize(%q) == %q, want different", p.a, p.b, Normalize(p.a))
		}
	}
}

func TestCanonNumber(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"15", "15"},
		{"15,00", "15"},
		{"4,50", "4.5"},
		{"4.95", "4.95"},
		{"1.000", "1000"},
		{"1,000,000", "1000000"},
		{"0.125", "0.125"}, // a zero integer part is never thousands
		{"12.3456", "12.3456"},
		{"1.234,5", "1234.5"},
		{"1.2.3", "1.2.3"},
		{"007", "007"},
	}
	for _, tt := range tests {
		if got := canonNumber(tt.in); got != tt.want {
			t.Errorf("canonNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldMapsOffsets(t *testing.T) {
	t.Parallel()
	raw := "Réf. ÆØ 42"
	tx := analyse(raw)
	for _, tk := range tx.toks {
		if tk.text == "42" && raw[tk.start:tk.end] != "42" {
			t.Errorf("token 42 spans %q in raw", raw[tk.start:tk.end])
		}
	}
	if tx.folded != "ref. aeo 42" {
		t.Errorf("folded = %q", tx.folded)
	}
}
