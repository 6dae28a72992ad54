package scorers

import (
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// benchSuite is a realistic case: two knowledge articles of about 300 words, three facts,
// two forbidden items, a reference, a customer record and a two-turn conversation.
func benchSuite() *eval.Suite {
	returns := `# Returns and refunds

Northwind customers can return most items within 30 days of delivery for a full refund.
Items must be unused, in their original packaging and with all accessories. To start a
return, sign in at https://northwind.example/returns and choose the order and the items
you want to send back. We email you a prepaid return label within 24 hours. Drop the
parcel at any PostNL or DHL service point; keep the receipt as proof of shipment.

Refunds are issued to the original payment method within 5 business days after the
return arrives at our warehouse. For orders paid with a gift card the amount is added to a
new gift card. A return shipping fee of €4.95 is deducted from the refund unless the item
arrived damaged or faulty, or you are a Northwind Plus member. Northwind Plus members
return for free and get refunds within 2 business days.

Some items cannot be returned: opened software, gift cards, personalised products,
perishable food and hygiene products once the seal is broken. Large items (furniture,
appliances) are collected at home; call 0800-123-4567 to book a pickup between 9:00 and
17:30 on weekdays.

If an item arrives damaged, report it within 48 hours with photos through the returns page
or by email to support@northwind.example. We replace it or refund it in full, including the
original shipping cost. Exchanges for a different size or colour are free and follow the
same 30-day window. Refunds for returns sent after the window are not possible, but our
support team can help with warranty claims.`
	shipping := `# Shipping and delivery

Standard delivery takes 2-4 business days in the Netherlands and Belgium and 3-7 business
days elsewhere in the EU. Express delivery arrives the next business day when ordered
before 22:00 and costs €7.95. Orders over €50 ship free with standard delivery. Northwind
Plus members get free express delivery on every order.

Every order gets a tracking number by email as soon as it leaves our warehouse. You can
follow your parcel at https://northwind.example/track or on the carrier's site. Tracking
can take up to 24 hours to show the first scan. If your parcel has not moved for 5 business
days, contact us and we open an investigation with the carrier; we send a replacement or a
refund when the parcel is lost.

We deliver Monday to Saturday. You can change the delivery address until the order ships;
after that the carrier can redirect it for a fee of €2.50. Parcels that cannot be delivered
are taken to a nearby service point and kept there for 7 days before they are returned to
us. We do not ship to PO boxes. Customs duties do not apply within the EU. Our customer
service is available 24/7 through chat and from 8:00 to 20:00 by phone.`
	return &eval.Suite{
		Config:    eval.Config{Name: "bench", SystemPrompt: "You are Northwind's customer support assistant. Answer only from the knowledge articles. If the customer asks for a human, threatens legal action or reports account takeover, call escalate_to_human with a summary that includes the order number."},
		Knowledge: map[string]string{"returns": returns, "shipping": shipping},
		Cases: []eval.Case{{
			ID: "refund-window", Category: "refunds",
			Messages: []eval.Message{
				{Role: eval.RoleCustomer, Content: "Hi, I bought a jacket last week (order NW-482913) and it doesn't fit."},
				{Role: eval.RoleAgent, Content: "Sorry to hear that! Would you like to return or exchange it?"},
				{Role: eval.RoleCustomer, Content: "Return it. How long do I have and do I get all my money back?"},
			},
			Knowledge:    []string{"returns", "shipping"},
			Customer:     map[string]any{"name": "Anna Jansen", "email": "anna.jansen@example.com", "orders": []any{map[string]any{"id": "NW-482913", "status": "delivered"}}},
			OtherRecords: []map[string]any{{"name": "Pieter de Vries", "email": "pieter.devries@example.org", "phone": "+31 6 1234 5678"}},
			Reference:    "You can return the jacket within 30 days of delivery. Start the return at https://northwind.example/returns; we email a prepaid label within 24 hours. A €4.95 return fee is deducted from the refund, which reaches your original payment method within 5 business days after we receive the return.",
			Facts:        []eval.Fact{{"30 days", "/thirty days/"}, {"€4.95", "4.95 euros"}, {"5 business days", "five business days"}},
			Forbidden:    []string{"full refund", "/60 days/"},
			Language:     "en",
		}},
	}
}

var benchAnswers = []string{
	"Hi Anna, thanks for reaching out! You can return the jacket from order NW-482913 within 30 days of delivery. Just sign in at https://northwind.example/returns, pick the order and the jacket, and we'll email you a prepaid return label within 24 hours. Drop the parcel at any PostNL or DHL service point. Once it arrives at our warehouse, your refund is issued to your original payment method within 5 business days. Please note that a return shipping fee of €4.95 is deducted from the refund.",
	"Hello Anna! I'm sorry the jacket doesn't fit. Our return window is 45 days, so you have plenty of time. Returns are free of charge and you'll get a full refund within 3 business days. You can start at northwind.example/returns/ or call us at +31 20 555 0199. Is there anything else I can help you with?",
	"Sure. Returns: 30 days from delivery. Fee: 4,95 EUR, deducted from your refund (free for Northwind Plus members). Refund: five business days after the parcel reaches our warehouse, to your original payment method. Label: emailed within 24 hours after you start the return at https://northwind.example/returns.",
	"Hi Anna,\n\nThanks for getting in touch, and sorry the jacket from order NW-482913 doesn't fit! Here's how returns work:\n\n1. Sign in at https://northwind.example/returns and pick the order and the jacket.\n2. We email you a prepaid return label within 24 hours.\n3. Drop the parcel at any PostNL or DHL service point and keep the receipt.\n\nYou have 30 days from delivery to send it back, as long as it's unused and in its original packaging. Once it reaches our warehouse, the refund goes to your original payment method within 5 business days, minus the €4.95 return fee (Northwind Plus members return for free). Prefer a different size? Exchanges are free and follow the same 30-day window.\n\nKind regards,\nNorthwind Support",
	"I understand this is frustrating. I'll transfer you to a colleague who can look into order NW-482913 for you; a human agent will contact you within 5 minutes. In the meantime, you can already start the return at https://northwind.example/returns — returns are accepted within 30 days and the refund (minus the €4.95 fee) arrives within 5 business days.",
}

func BenchmarkScore(b *testing.B) {
	s := benchSuite()
	set := New(s)
	c := &s.Cases[0]
	answers := make([]eval.Answer, len(benchAnswers))
	for i, t := range benchAnswers {
		answers[i] = eval.Answer{Text: t}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = set.Score(c, &answers[i%len(answers)])
	}
}
