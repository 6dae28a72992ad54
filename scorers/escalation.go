package scorers

import (
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// handoff is the family of phrases that hand the customer to a human: the assistant's own
// act ("I'll transfer you to a colleague", "ik verbind u door met een medewerker", "je
// vous mets en relation avec un conseiller"), a handoff already made ("I have escalated
// this to our team", "he escalado su caso"), or a human about to take over ("a human agent
// will contact you", "ein Mitarbeiter meldet sich bei Ihnen"). Offers ("I can transfer you
// if you like"), questions, instructions ("please send this to our team") and negations
// ("I can't connect you to an agent", "ich kann Sie nicht weiterleiten", "no puedo
// transferirle") are not handoffs.
var handoff = phraseSet{id: setHandoff, offers: true, questions: true, rules: newPhraseSet(setHandoff, []ruleSpec{
	// English.
	{any: []string{"escalate", "escalated", "escalating", "escaleer", "escaleert", "escaleren", "geescaleerd", "escalado", "escalare", "escalamos", "escalade", "escalader", "escaladee"},
		re: `\b(?:ge)?escal(?:ate|ated|ating|eer|eert|eren|eerd|ado|are|amos|ade|ader|ee)\b`},
	{any: []string{"through", "over"}, also: []string{"transfer", "transferring", "transferred", "connect", "connecting", "connected", "put", "putting"},
		anchor: []string{"transfer", "transferring", "transferred", "connect", "connecting", "connected", "put", "putting"},
		re:     `\b(?:transfer(?:ring|red)?|connect(?:ing|ed)?|put(?:ting)?) you (?:through|over)\b`},
	{any: []string{"transfer", "transferring", "transferred", "connect", "connecting", "connected", "pass", "passing", "passed", "hand", "handing", "handed", "route", "routing", "routed", "refer", "referring", "referred", "forward", "forwarding", "forwarded", "send", "sending", "sent"},
		also:   []string{"to", "with"},
		re:     `\b(?:transfer(?:ring|red)?|connect(?:ing|ed)?|pass(?:ing|ed)?|hand(?:ing|ed)?|rout(?:e|ing|ed)|refer(?:ring|red)?|forward(?:ing|ed)?|send(?:ing)?|sent) (?:you|this|it|that|the \w+|your \w+(?: \w+)?) (?:\w+ ){0,3}?(?:to|with)\b`,
		target: targetAfter},
	{any: []string{"ticket", "case", "request"}, also: ticketVerbs, anchor: ticketVerbs,
		re: `\b(?:creat(?:e|ed|ing)|open(?:ed|ing)?|rais(?:e|ed|ing)|log(?:ged|ging)?|fil(?:e|ed|ing)) (?:a|an) (?:\w+ ){0,2}?(?:ticket|case|request)\b`, target: targetAfter},
	{any: []string{"get", "getting", "find", "finding", "bring", "bringing", "fetch", "loop", "looping", "involve", "involving"}, anchor: []string{"let", "ll", "will", "m", "am"},
		re:     `\b(?:let me|ll|will|m|am)(?: now| going to| just)? (?:get|getting|find|finding|bring in|bringing in|fetch|loop in|looping in|involve|involving) (?:a|an|one of our|our|the|someone|somebody)\b`,
		target: targetAfter},
	{any: []string{"contact", "call", "reach", "back", "touch", "follow", "email", "reply", "respond", "with", "take", "join"}, also: []string{"will", "ll", "shall", "going"},
		anchor: []string{"will", "ll", "shall", "is", "are"},
		re:     `\b(?:will|ll|shall|is going to|are going to) (?:\w+ )?(?:contact|call|reach out|get back|get in touch|be in touch|follow up|email|e-mail|reply|respond|be with you|take over|join)\b`,
		target: targetClause},
	{any: []string{"contacted", "connected", "transferred", "called", "put"}, also: []string{"will", "ll"},
		anchor: []string{"you"},
		re:     `\byou(?:'ll| will) (?:\w+ )?be (?:contacted|connected|transferred|called|put through)\b`},
	{any: []string{"hear"}, anchor: []string{"you"},
		re: `\byou(?:'ll| will) (?:\w+ )?hear from\b`, target: targetAfter},
	// Dutch.
	{any: []string{"doorverbinden", "doorverbind", "doorverbonden", "doorgeschakeld", "doorschakelen", "verbind", "verbinden", "verbonden", "geschakeld", "schakel"}, also: []string{"door", "doorverbinden", "doorverbind", "doorverbonden", "doorgeschakeld", "doorschakelen"},
		anchor: []string{"door", "doorverbinden", "doorverbind", "doorverbonden", "doorgeschakeld", "doorschakelen", "verbind", "verbinden"},
		re:     `\bdoor ?(?:verbind\w*|verbonden|geschakeld|schakel\w*)|\bverbind\w* (?:u|je|jou) (?:\w+ ){0,4}?door\b`},
	{any: []string{"zet"}, also: []string{"door"}, re: `\bzet (?:u|je|jou) (?:\w+ ){0,3}?door\b`},
	{any: []string{"doorgezet", "doorgestuurd", "doorgegeven", "overgedragen", "doorverwezen"},
		re: `\b(?:doorgezet|doorgestuurd|doorgegeven|overgedragen|doorverwezen)\b`, target: targetAny},
	{any: []string{"stuur", "zet", "geef", "draag", "verwijs"}, also: []string{"door", "over"},
		re: `\b(?:stuur|zet|geef|draag|verwijs)\b(?: \w+){0,6}? (?:door|over) (?:aan|naar|met)\b`, target: targetAfter},
	{any: []string{"contact"}, also: []string{"neemt", "nemen", "zal", "zullen", "gaat", "gaan"},
		anchor: []string{"neemt", "nemen", "zal", "zullen", "gaat", "gaan"},
		re:     `\b(?:neemt|nemen|zal|zullen|gaat|gaan)\b[^.!?]{0,40}?\bcontact\b`, target: targetClause},
	{any: []string{"gebeld", "benaderd", "teruggebeld", "doorverbonden", "gecontacteerd"}, also: []string{"wordt"},
		anchor: []string{"u"},
		re:     `\bu wordt (?:\w+ )?(?:gebeld|benaderd|teruggebeld|doorverbonden|gecontacteerd)\b`},
	// German.
	{any: []string{"eskaliere", "eskalieren", "eskaliert", "eskalierte"}, re: `\beskal(?:iere|ieren|iert|ierte)\b`},
	{any: []string{"weiter"}, also: []string{"leite", "leiten"}, anchor: []string{"leite", "leiten"},
		re: `\b(?:leite|leiten) (?:sie|dich) (?:\w+ ){0,6}?weiter\b`},
	{any: []string{"weiter", "weitergeleitet", "weiterleiten", "weiterzuleiten", "weiterleite", "weitergegeben", "weitergeben"},
		anchor: []string{"weiter", "weitergeleitet", "weiterleiten", "weiterzuleiten", "weiterleite", "weitergegeben", "weitergeben", "leite", "leiten"},
		re:     `\bweiter(?:geleitet|leiten|zuleiten|leite|gegeben|geben)\b|\b(?:leite|leiten)\b[^.!?]{0,60}?\bweiter\b`, target: targetAny},
	{any: []string{"verbinde", "verbinden", "stelle"}, re: `\b(?:verbinde|verbinden) (?:sie|dich)\b|\bstelle (?:sie|dich) (?:\w+ ){0,3}?durch\b`},
	{any: []string{"verbunden", "ubergebe", "ubergeben", "ubergibt"}, re: `\b(?:verbunden|ubergebe|ubergeben|ubergibt)\b`, target: targetAny},
	{any: []string{"meldet", "melden", "kontaktieren", "anrufen", "zuruckrufen", "kontakt"},
		anchor: []string{"meldet", "melden", "wird", "nimmt"},
		re:     `\b(?:meldet sich|melden sich|wird sich\b[^.!?]{0,30}?\bmelden|wird (?:sie|dich)\b[^.!?]{0,30}?\b(?:kontaktieren|anrufen|zuruckrufen)|nimmt\b[^.!?]{0,30}?\bkontakt)`,
		target: targetClause},
	{any: []string{"verbunden", "weitergeleitet", "kontaktiert", "angerufen", "zuruckgerufen"}, also: []string{"werden"},
		anchor: []string{"sie"},
		re:     `\bsie werden (?:\w+ ){0,4}?(?:verbunden|weitergeleitet|kontaktiert|angerufen|zuruckgerufen)\b`},
	// Spanish.
	{any: []string{"transfiero", "transferire", "transferimos", "comunico", "comunicare", "derivo", "derivare", "conecto", "conectare", "pongo", "transferirle", "transferirte", "comunicarle", "comunicarte", "derivarle", "derivarte", "conectarle", "conectarte"},
		anchor: []string{"le", "te", "lo", "la", "transferirle", "transferirte", "comunicarle", "comunicarte", "derivarle", "derivarte", "conectarle", "conectarte"},
		re:     `\b(?:le|te|lo|la) (?:transfiero|transferire|transferimos|comunico|comunicare|derivo|derivare|conecto|conectare|pongo en contacto)\b|\b(?:transferir|comunicar|derivar|conectar)(?:le|te|lo|la)\b`},
	{any: []string{"paso", "pasare", "pasamos"}, also: []string{"con"}, anchor: []string{"le", "te"},
		re: `\b(?:le|te) (?:paso|pasare|pasamos) con\b`},
	{any: []string{"transferido", "pasado", "derivado", "remitido", "enviado", "transferir", "pasar", "derivar", "comunicar", "remitir", "conectar"}, also: []string{"he", "hemos", "ha", "voy"},
		anchor: []string{"he", "hemos", "ha", "voy"},
		re:     `\b(?:he|hemos|ha) (?:transferido|pasado|derivado|remitido|enviado)\b|\bvoy a (?:transferir|pasar|derivar|comunicar|remitir|conectar)\w*`, target: targetAfter},
	{any: []string{"transferido", "transferida", "atendido", "atendida", "derivado", "derivada"}, also: []string{"sera", "seras"},
		anchor: []string{"sera", "seras"},
		re:     `\b(?:sera|seras) (?:transferid|atendid|derivad)\w*`},
	{any: []string{"pondra", "contactara", "llamara", "comunicara", "atendera", "escribira"},
		anchor: []string{"se", "le", "te", "lo", "la"},
		re:     `\b(?:se pondra en contacto|le contactara|te contactara|lo contactara|la contactara|le llamara|te llamara|se comunicara|le atendera|te atendera|le escribira)\b`,
		target: targetAny},
	// French.
	{any: []string{"transfere", "transferer", "transfererai", "transferons", "mets", "mettre", "mettrai", "redirige", "rediriger", "relation"},
		anchor: []string{"vous", "mise", "mis"},
		re:     `\bvous (?:transfere|transferer|transfererai|transferons|mets en relation|mettre en relation|mettrai en relation|redirige|rediriger)\b|\bmise? en relation\b`},
	{any: []string{"transmis", "transmets", "transmettre", "transmettrai", "transfere", "transferer", "transfererai", "remonte", "remonter", "redirige", "rediriger", "passe"},
		anchor: []string{"transmis", "transmets", "transmettre", "transmettrai", "transfere", "transferer", "transfererai", "remonte", "remonter", "redirige", "rediriger", "vous"},
		re:     `\b(?:transmis|transmets|transmettre|transmettrai|transfere|transferer|transfererai|remonte|remonter|redirige|rediriger)\b|\bvous passe\b`, target: targetAfter},
	{any: []string{"contactera", "contacter", "recontactera", "contact", "rappellera", "rappeler", "reviendra", "repondra", "reprendra"},
		anchor: []string{"vous", "va", "vont", "prendra", "reviendra", "reprendra"},
		re:     `\b(?:vous contactera|va vous contacter|vont vous contacter|vous recontactera|prendra contact|vous rappellera|va vous rappeler|reviendra vers vous|vous repondra|reprendra)\b`,
		target: targetAny},
	{any: []string{"relation", "transfere", "contacte", "rappele"}, also: []string{"allez", "serez"},
		anchor: []string{"vous"},
		re:     `\bvous (?:allez etre|serez) (?:\w+ )?(?:mis en relation|transfere|contacte|rappele)`},
})}

// ticketVerbs open a ticket for someone else ("I've opened a ticket for our billing team").
var ticketVerbs = []string{"create", "created", "creating", "open", "opened", "opening", "raise",
	"raised", "raising", "log", "logged", "logging", "file", "filed", "filing"}

// escalation is the outcome of the escalation check of one answer.
type escalation struct {
	escalated bool
	// how: "tool", "field" or the handoff phrase found in the text.
	how string
}

// detectEscalation reports whether the answer hands off: it called the escalate_to_human
// tool, set the structured escalate field, or its text clearly transfers the customer
// to a human in one of en, nl, de, es, fr.
func detectEscalation(a *eval.Answer, t *text, gates []gateMasks) escalation {
	for _, tc := range a.ToolCalls {
		if tc.Name == eval.EscalationTool {
			return escalation{true, "tool"}
		}
	}
	if a.Escalate != nil && *a.Escalate {
		return escalation{true, "field"}
	}
	if p, ok := handoff.find(t, gates); ok {
		return escalation{true, p}
	}
	return escalation{}
}

// handoffSummary is what the human receives: the tool's summary and reason arguments
// when the tool was called with them, else the answer text.
func handoffSummary(a *eval.Answer) string {
	var b strings.Builder
	for _, tc := range a.ToolCalls {
		if tc.Name != eval.EscalationTool {
			continue
		}
		for _, k := range []string{"summary", "reason"} {
			if s, ok := tc.Arguments[k].(string); ok && strings.TrimSpace(s) != "" {
				b.WriteString(s)
				b.WriteByte('\n')
			}
		}
	}
	if b.Len() == 0 {
		return a.Text
	}
	return b.String()
}

// keyID is an identifier from the customer record that the conversation mentions, which
// a handoff must pass on so the customer does not repeat it.
type keyID struct {
	value  string // as in the record
	norm   string // " canonical phrase "
	digits string // its digits, when it has five or more
}

// idField reports whether a record key names an identifier: order_id, trackingNumber,
// "account", "ref", "invoice no"...
func idField(key string) bool {
	for _, p := range strings.FieldsFunc(strings.ToLower(key), func(r rune) bool { return r < 'a' || r > 'z' }) {
		switch p {
		case "id", "no", "nr", "ref", "number", "reference", "tracking", "ticket", "invoice", "account", "order", "case":
			return true
		}
		for _, x := range []string{"id", "number", "nr"} {
			if strings.HasSuffix(p, x) && len(p) > len(x)+3 {
				return true
			}
		}
		for _, x := range []string{"order", "tracking", "invoice", "ticket", "account"} {
			if strings.HasPrefix(p, x) {
				return true
			}
		}
	}
	return false
}

// keyIDs returns the identifiers of the customer record (order, tracking, account and
// ticket numbers: id-shaped values, or values with three or more digits under an id-like
// key) that the conversation mentions.
func keyIDs(c *eval.Case, conv *text) []keyID {
	var out []keyID
	seen := map[string]bool{}
	for _, f := range flatten(c.Customer, "") {
		d := digitsOf(f.value)
		if len(d) < 3 || seen[f.value] || strings.ContainsAny(f.value, "@ .,:") {
			continue
		}
		if _, isDate := numericDate(f.value); isDate {
			continue
		}
		if _, isID := idKey(f.value); !isID && !idField(f.path[strings.LastIndexByte(f.path, '.')+1:]) {
			continue
		}
		k := keyID{value: f.value, norm: normPhrase(f.value)}
		if len(d) >= 5 {
			k.digits = d
		}
		if k.mentioned(conv) {
			seen[f.value] = true
			out = append(out, k)
		}
	}
	return out
}

// mentioned reports whether t carries the id, in its canonical form or by its digits.
func (k *keyID) mentioned(t *text) bool {
	if k.norm != "" && strings.Contains(t.norm, k.norm) {
		return true
	}
	if k.digits == "" {
		return false
	}
	for _, d := range digitRuns(t.raw) {
		if d == k.digits {
			return true
		}
	}
	return false
}

// promiseWords introduce the time in a promise ("within 5 minutes"); the flag quotes it.
var promiseWords = wordSet(`within in by before under binnen uiterlijk voor innerhalb
	in bis dentro en antes dans sous avant d'ici`)

// promiseText quotes a claim with the word that introduces it, when there is one.
func promiseText(raw string, c *claim) string {
	s := strings.TrimRight(raw[:c.start], " ")
	i := strings.LastIndexAny(s, " \n(") + 1
	if w := strings.ToLower(s[i:]); promiseWords[w] {
		return s[i:] + " " + c.text
	}
	return c.text
}
