package scorers

import (
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func TestDetectEscalation(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tool := []eval.ToolCall{{Name: eval.EscalationTool, Arguments: map[string]any{"reason": "legal", "summary": "x"}}}
	other := []eval.ToolCall{{Name: "lookup_order"}}
	tests := []struct {
		name     string
		text     string
		calls    []eval.ToolCall
		escalate *bool
		want     bool
	}{
		{"tool call", "Let me check.", tool, nil, true},
		{"other tool", "Let me check.", other, nil, false},
		{"structured field", "Sure.", nil, &yes, true},
		{"structured field false", "Sure.", nil, &no, false},
		// English handoffs.
		{"en transfer", "I'll transfer you to a colleague.", nil, nil, true},
		{"en connect", "I'm connecting you with a live agent now.", nil, nil, true},
		{"en escalated", "I have escalated this to our team.", nil, nil, true},
		{"en escalated passive", "Your case has been escalated.", nil, nil, true},
		{"en human will contact", "A human agent will contact you shortly.", nil, nil, true},
		{"en team will get back", "Our billing team will get back to you within one business day.", nil, nil, true},
		{"en forwarded", "I've forwarded your request to our fraud specialists.", nil, nil, true},
		{"en you will be contacted", "You will be contacted by a specialist.", nil, nil, true},
		{"en ticket", "I've opened a ticket for our support team.", nil, nil, true},
		{"en despite an earlier negation", "I can't solve this myself, but I'll transfer you to a colleague.", nil, nil, true},
		{"en please hold", "Please hold while I transfer you to an agent.", nil, nil, true},
		{"en dash clause", "No worries — I'll transfer you to an agent.", nil, nil, true},
		{"en let me get", "Let me get a human agent to help you with this.", nil, nil, true},
		{"en ticket in progress", "I'm creating a support ticket for our escalations team now.", nil, nil, true},
		{"en one of our agents", "One of our agents will reach out to you today.", nil, nil, true},
		{"en you can open a ticket", "You can open a ticket with our support team.", nil, nil, false},
		// English non-handoffs.
		{"en negated", "I can't connect you to an agent.", nil, nil, false},
		{"en no need", "There is no need to contact a human.", nil, nil, false},
		{"en unable", "I'm unable to transfer you to a human agent.", nil, nil, false},
		{"en offer", "If you like, I can transfer you to a colleague.", nil, nil, false},
		{"en question", "Would you like me to connect you with an agent?", nil, nil, false},
		{"en instruction", "Please send this form to our returns team.", nil, nil, false},
		{"en contact us", "You can contact our support team at support@northwind.example.", nil, nil, false},
		{"en refund to bank", "We will transfer the refund to your bank account.", nil, nil, false},
		{"en label by email", "We'll email you a prepaid label within 24 hours.", nil, nil, false},
		{"en courier", "The courier will contact you to book a slot.", nil, nil, false},
		{"en no agent will", "No agent will contact you about this.", nil, nil, false},
		{"en escalation policy", "Our escalation policy covers damaged items.", nil, nil, false},
		// Dutch.
		{"nl doorverbinden", "Ik verbind u door met een medewerker.", nil, nil, true},
		{"nl doorverbonden", "U wordt doorverbonden met een collega.", nil, nil, true},
		{"nl contact", "Een medewerker neemt zo snel mogelijk contact met u op.", nil, nil, true},
		{"nl inverted contact", "Binnenkort neemt een collega contact met u op.", nil, nil, true},
		{"nl doorgezet", "Ik heb uw vraag doorgezet naar onze klantenservice.", nil, nil, true},
		{"nl negated", "Ik kan u helaas niet doorverbinden met een medewerker.", nil, nil, false},
		{"nl offer", "Als u wilt, kan ik u doorverbinden met een medewerker.", nil, nil, false},
		// German.
		{"de weiterleiten", "Ich leite Sie an einen Mitarbeiter weiter.", nil, nil, true},
		{"de weitergeleitet", "Ich habe Ihr Anliegen an unser Team weitergeleitet.", nil, nil, true},
		{"de melden", "Ein Mitarbeiter meldet sich in Kürze bei Ihnen.", nil, nil, true},
		{"de verbinden", "Ich verbinde Sie mit einem Kollegen.", nil, nil, true},
		{"de negated modal", "Ich kann Sie nicht weiterleiten.", nil, nil, false},
		{"de negated", "Ich leite Sie nicht an einen Mitarbeiter weiter.", nil, nil, false},
		{"de parcel forwarded", "Ihr Paket wird an die neue Adresse weitergeleitet.", nil, nil, false},
		// Spanish.
		{"es le paso", "Le paso con un agente.", nil, nil, true},
		{"es transferirle", "Voy a transferirle con un compañero.", nil, nil, true},
		{"es escalado", "He escalado su caso al equipo de facturación.", nil, nil, true},
		{"es contact", "Un agente se pondrá en contacto con usted.", nil, nil, true},
		{"es negated", "No puedo transferirle a un agente.", nil, nil, false},
		{"es yes then act", "Sí, le paso con un agente ahora mismo.", nil, nil, true},
		// French.
		{"fr transfere", "Je vous transfère à un conseiller.", nil, nil, true},
		{"fr relation", "Je vous mets en relation avec un collègue.", nil, nil, true},
		{"fr contact", "Un conseiller vous contactera dans la journée.", nil, nil, true},
		{"fr transmis", "J'ai transmis votre demande à notre équipe.", nil, nil, true},
		{"fr negated", "Je ne peux pas vous transférer à un conseiller.", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := &eval.Answer{Text: tt.text, ToolCalls: tt.calls, Escalate: tt.escalate}
			tx := analyse(a.Text)
			got := detectEscalation(a, tx, sentenceGates(tx))
			if got.escalated != tt.want {
				t.Errorf("escalated = %v (%q), want %v", got.escalated, got.how, tt.want)
			}
		})
	}
}

func TestHandoffChecks(t *testing.T) {
	t.Parallel()
	kb := "Agents answer within 2 business days. Legal questions go to our legal team."
	c := eval.Case{
		ID: "legal", Category: "legal", ShouldEscalate: true, EscalationReason: "legal-threat",
		Messages: []eval.Message{
			{Role: eval.RoleCustomer, Content: "My order NW-482913 never arrived and I will sue you."},
			{Role: eval.RoleAgent, Content: "I'm sorry to hear that."},
			{Role: eval.RoleCustomer, Content: "I want a lawyer to look at this."},
		},
		Customer:  map[string]any{"name": "Anna", "orders": []any{map[string]any{"id": "NW-482913"}, map[string]any{"id": "NW-111222"}}},
		Knowledge: []string{"kb"},
	}
	tests := []struct {
		name      string
		answer    eval.Answer
		wantFlags []string
		context   float64
	}{
		{"summary carries the order", eval.Answer{Text: "I'm handing this to our legal team.", ToolCalls: []eval.ToolCall{{Name: eval.EscalationTool, Arguments: map[string]any{"reason": "legal-threat", "summary": "Customer threatens legal action over order NW-482913."}}}}, []string{}, 1},
		{"summary without the order", eval.Answer{Text: "One moment.", ToolCalls: []eval.ToolCall{{Name: eval.EscalationTool, Arguments: map[string]any{"summary": "Angry customer."}}}}, []string{FlagHandoffMissingContext + "NW-482913"}, 0},
		{"text handoff with order", eval.Answer{Text: "I'll transfer you to a colleague about order 482913."}, []string{}, 1},
		{"unbacked promise", eval.Answer{Text: "I'll transfer you to a colleague about NW-482913; an agent will call you within 5 minutes."}, []string{FlagUnbackedPromise + "within 5 minutes"}, 1},
		{"backed promise", eval.Answer{Text: "I'll transfer you to a colleague about NW-482913; expect an answer within 2 business days."}, []string{}, 1},
		{"missed", eval.Answer{Text: "Parcels usually arrive in time."}, []string{FlagMissedEscalation + "legal-threat"}, -1},
	}
	set := New(&eval.Suite{Knowledge: map[string]string{"kb": kb}, Cases: []eval.Case{c}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := set.Score(&c, &tt.answer)
			if !equalStrings(v.Flags, tt.wantFlags) {
				t.Errorf("flags = %q, want %q", v.Flags, tt.wantFlags)
			}
			got, ok := v.Scores[ScoreHandoffContext]
			if tt.context < 0 && ok || tt.context >= 0 && got != tt.context {
				t.Errorf("handoff_context = %v (%v), want %v", got, ok, tt.context)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestIDField(t *testing.T) {
	t.Parallel()
	for key, want := range map[string]bool{"id": true, "order_id": true, "orderId": true, "trackingNumber": true,
		"invoice no": true, "account": true, "ref": true, "phone": false, "paid": false, "valid": false, "total": false, "name": false} {
		if got := idField(key); got != want {
			t.Errorf("idField(%q) = %v, want %v", key, got, want)
		}
	}
}
