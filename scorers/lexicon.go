package scorers

import "strings"

// The word lists the scorers share, all in folded form (lowercase, no accents). They are
// built once and never written after.

func wordSet(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// stopwords are function words and support-chat pleasantries in en, nl, de, es and fr;
// they carry no checkable content.
var stopwords = wordSet(
	// en
	`a an the and or but if of to in on at by for with from as is are was were be been being
	it its this that these those i you he she we they me him her us them my your our their
	yours ours mine his hers there here what which who whom when where why how all any some
	no not can could will would shall should may might must do does did done have has had
	having am so than then too very just also only about into over after before up down out
	off again further more most other such own same s t ll ve re d m don won doesn didn isn
	aren wasn cannot please thank thanks hi hello hey dear regards kind best sincerely hope
	glad happy help sorry let know need questions question feel free contact reach assist
	assistance understand apologize apologise inconvenience day great today anything else`,
	// nl
	`de het een en of maar als dan dat die dit deze is zijn was waren ben bent wordt worden
	werd zal zullen kan kunt kunnen moet moeten mag mogen wil wilt ik je jij u uw we wij ze
	zij hij haar hem ons onze jouw mijn met van voor naar op aan bij uit over door om tot te
	er hier daar wat wie waar wanneer hoe niet geen ook nog al wel heel zeer graag alvast
	bedankt dank hallo beste groeten vriendelijke hoop helpen vragen vraag`,
	// de
	`der die das dem den des ein eine einen einem einer und oder aber wenn dann dass ist sind
	war waren bin bist wird werden wurde kann konnen muss mussen darf ich du sie er es wir
	ihr ihnen ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer mein meine
	meinen dein deine deinen mit von fur nach auf an bei aus uber durch um
	zu zum zur hier dort was wer wo wann wie nicht kein keine auch noch schon sehr gerne
	danke hallo liebe lieber grusse freundlichen viele helfen fragen frage`,
	// es
	`el la los las un una unos unas y o pero si entonces que es son era fue ser estar esta
	estan he ha han puede pueden debe yo tu usted ustedes ella nosotros su sus mi mis nuestro
	nuestra con del para por en al sobre desde hasta aqui alli quien donde cuando como no
	tambien muy gracias hola estimado estimada saludos cordiales le lo se me te nos ayudar`,
	// fr
	`le les une des et ou mais alors qui est sont etait etre avoir ai avez ont peut pouvez
	doit je vous il nous ils elles votre vos notre nos mon ma mes son sa ses avec du dans sur
	aux chez ici ce cette ces quoi quand comment ne pas plus aussi tres merci bonjour
	cordialement bien aider`,
)

// honorifics and greetings open a name without being part of it ("Dear Mr Jansen").
var nameOpeners = wordSet(`mr mrs ms miss dr meneer mevrouw mevr dhr heer geachte herr frau
	sehr geehrte geehrter senor senora sr sra srta monsieur madame mme mlle cher chere
	estimado estimada hi hello dear hey hallo beste liebe lieber hola bonjour thank thanks
	best kind warm regards`)

// genericNameWords are words that surround a name without making it one ("Northwind
// Support Team" names nothing more than "Northwind").
var genericNameWords = wordSet(`support team service services customer customers center
	centre department desk help helpdesk agent agents assistant virtual bot chat hub page
	account order orders number status tracking klantenservice kundenservice kundendienst
	servicio atencion cliente clientes client clients equipe online`)

// commonNameWords are ordinary support words: a capitalised run made only of these is a
// heading or emphasis, not a product or programme name.
var commonNameWords = wordSet(`return returns refund refunds policy policies shipping
	delivery express standard free order orders warranty exchange exchanges payment payments
	method methods account terms conditions privacy faq store shop gift card cards label
	labels form request requests premium membership member members plan plans next steps step
	important note notes summary tip tips option options information details contact us
	you your our we i new customer service support team help center centre please update
	good news great welcome hours opening window windows fee fees day days business time
	times period address portal page site website app hub deadline process instructions
	guide hotline line desk shipping point points code link email phone chat week weeks month
	months year years item items product products price cost costs charge credit balance
	voucher discount sale offer promotion deal replacement repair guarantee condition damage
	damaged status tracking delivered returned cancellation cancel`)

// months maps folded month names and abbreviations in en, nl, de, es and fr to 1–12.
var months = func() map[string]int {
	m := map[string]int{}
	for i, l := range []string{
		"january jan januari januar janvier enero ene",
		"february feb februari februar fevrier febrero",
		"march mar maart marz mars marzo",
		"april apr avril abril",
		"may mei mai mayo",
		"june jun juni juin junio",
		"july jul juli juillet julio",
		"august aug augustus aout agosto",
		"september sep sept septembre septiembre setiembre",
		"october oct oktober okt octobre octubre",
		"november nov noviembre novembre",
		"december dec dezember dez decembre diciembre dic",
	} {
		for _, w := range strings.Fields(l) {
			m[w] = i + 1
		}
	}
	return m
}()

// weekdays are folded day names; a capitalised run that holds one is a date, not a name.
var weekdays = wordSet(`monday tuesday wednesday thursday friday saturday sunday maandag
	dinsdag woensdag donderdag vrijdag zaterdag zondag montag dienstag mittwoch donnerstag
	freitag samstag sonntag lunes martes miercoles jueves viernes sabado domingo lundi mardi
	mercredi jeudi vendredi samedi dimanche`)

// tlds are the top-level domains a bare host name ("northwind.example/returns") may end in.
var tlds = wordSet(`com org net io co nl de es fr be eu uk ch at it us info biz app shop
	store example help support online site ai dev`)

// roleMailboxes are e-mail local parts of a company's shared mailboxes, not of a person.
var roleMailboxes = wordSet(`support help info service services contact hello sales billing
	returns return orders order noreply no-reply klantenservice kundenservice servicio
	atencion contacto privacy security team care admin webmaster service-client serviceclient
	feedback complaints klachten refunds shipping`)

// negations are the folded words that negate what follows them within a clause.
var negations = wordSet(`not no never cannot cant t n nobody none without unable
	niet geen nooit niemand nicht kein keine keinen keinem keiner nie niemals niemand
	nunca ningun ninguna nadie sin jamas tampoco pas ne jamais aucun aucune rien impossible`)

// currencyWords maps currency codes and names to the canonical code.
var currencyWords = map[string]string{
	"eur": "eur", "euro": "eur", "euros": "eur",
	"usd": "usd", "dollar": "usd", "dollars": "usd", "dolar": "usd", "dolares": "usd",
	"gbp": "gbp", "pound": "gbp", "pounds": "gbp", "libra": "gbp", "libras": "gbp",
}

// unitWords maps units written after a number to their canonical tokens. "business" and
// "calendar" are qualifiers that only count in front of a day unit.
var unitWords = func() map[string][]string {
	m := map[string][]string{}
	set := func(canon []string, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = canon
		}
	}
	set([]string{"day"}, "day days dag dagen daags daagse tag tage tagen tagig tagige tagigen tagiger tagiges dia dias jour jours kalenderdag kalenderdagen kalendertag kalendertage kalendertagen")
	set([]string{"business", "day"}, "werkdag werkdagen werktag werktage werktagen arbeitstag arbeitstage arbeitstagen geschaftstag geschaftstage geschaftstagen businessday businessdays")
	set([]string{"week"}, "week weeks weken woche wochen wochig wochige semana semanas semaine semaines wk wks")
	set([]string{"month"}, "month months maand maanden monat monate monaten mes meses mois")
	set([]string{"year"}, "year years yr yrs jaar jaren jahr jahre jahren ano anos an ans annee annees")
	set([]string{"hour"}, "hour hours hr hrs h uur uren stunde stunden stundig hora horas heure heures")
	set([]string{"minute"}, "minute minutes min mins minuut minuten minuto minutos")
	set([]string{"kg"}, "kg kgs kilo kilos kilogram kilograms kilogramm kilogramme kilogrammes")
	set([]string{"g"}, "g gram grams gramm gramos gramme grammes")
	set([]string{"lb"}, "lb lbs")
	set([]string{"cm"}, "cm")
	set([]string{"mm"}, "mm")
	set([]string{"km"}, "km")
	set([]string{"gb"}, "gb")
	set([]string{"mb"}, "mb")
	set([]string{"tb"}, "tb")
	set([]string{"ml"}, "ml")
	return m
}()

// preQualifiers come between a number and a day unit ("5 business days"); postQualifiers
// follow the unit ("5 días hábiles", "5 jours ouvrés"). The value is the canonical
// qualifier, "" to drop it.
var (
	preQualifiers  = map[string]string{"business": "business", "working": "business", "work": "business", "calendar": "", "natural": ""}
	postQualifiers = map[string]string{"habiles": "business", "habil": "business", "laborables": "business", "laborable": "business", "ouvres": "business", "ouvrables": "business", "ouvre": "business", "ouvrable": "business", "naturales": "", "calendaires": "", "calendrier": ""}
	rangeWords     = map[string]bool{"to": true, "tot": true, "bis": true, "a": true, "al": true, "au": true}
	ordinalSuffix  = map[string]bool{"st": true, "nd": true, "rd": true, "th": true, "e": true, "er": true, "eme": true, "ste": true, "de": true, "o": true, "a": true, "ro": true, "do": true, "to": true, "vo": true, "no": true, "re": true, "te": true}
)
