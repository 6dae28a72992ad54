package gguf

// The word lists behind the tiny model's vocabulary. They are whitespace-separated so
// that they read as prose and diff well; vocab.go turns them into SentencePiece pieces.
// Duplicates across lists are harmless: the vocabulary keeps the first occurrence.

// englishWords are common English words, most frequent first. The first
// capitalizedWords of them also get a capitalised piece ("▁The").
const englishWords = `
the be to of and a in that have i it for not on with he as you do at this but his by
from they we say her she or an will my one all would there their what so up out if
about who get which go me when make can like time no just him know take people into
year your good some could them see other than then now look only come its over think
also back after use two how our work first well way even new want because any these
give day most us is are was were been has had did does done said made went got gets
getting going goes came comes seen saw took taken gave given knew known thought told
tell asks asked ask need needs needed please thank thanks thank you hello hi hey dear
regards sorry yes ok okay sure fine great best better more less many much few very
really still again never always often sometimes usually already yet soon today
tomorrow yesterday week weeks month months hour hours minute minutes second seconds
morning evening night here where why while before since until during through between
under above below off down around another each every both either neither such same
different own last next long little old big high small large young important public
bad able early late hard easy possible free full real sure clear whole certain true
false right left wrong special main open closed close low simple single short
available current recent final general local national personal social private
information problem problems issue issues question questions answer answers help
helps helped helping support customer customers service services team thing things
part place case point number numbers group company system program government world
life hand house home school country state family student fact area money story book
word words business side kind head way days line end name names member law car city
community president water room mother father area job lot power eye eyes level office
door health person art war history party result results change changes morning reason
research girl guy moment air teacher force education foot boy age policy process
music market sense nation plan college interest death experience effect class control
care field development role effort rate heart drug show leader light voice wife police
mind price prices report decision son view relationship town road arm difference
value building action model season society tax director position player record paper
space ground form event official matter center couple site project activity star
table need court oil situation cost industry figure street image phone data picture
practice piece land product doctor wall patient worker news test movie north love
support technology step baby computer type attention film tree source organization
hair window evidence population site truth economy benefit bed page inside outside
between within without against among across along behind beyond toward towards upon
onto via per than though although however therefore instead otherwise unless whether
something nothing anything everything someone anyone everyone nobody somebody
anybody everybody somewhere anywhere everywhere nowhere myself yourself himself
herself itself ourselves themselves mine yours hers ours theirs whom whose
let put keep begin began begun seem seems seemed help show shows showed shown hear
heard play run ran move live believe hold held bring brought happen happened write
wrote written provide provides provided sit sat stand stood lose lost pay paid meet
met include includes included including continue continued set learn learned lead
understand understood watch follow stop stopped create created speak spoke spoken
read allow allowed add added spend spent grow grew open opened walk win won offer
offered remember remembered consider considered appear appeared buy bought wait
waited serve served die send sent expect expected build built stay stayed fall fell
cut reach reached kill remain remained suggest suggested raise pass passed sell sold
require required decide decided return returned explain explained hope hoped develop
carry carried break broke broken receive received agree agreed pick picked choose
chose chosen wish wished try tried trying call called calling find found finding
check checked checking contact contacted update updated updates confirm confirmed
confirmation cancel cancelled canceled cancellation change changed changing apply
applied applies charge charged charges fix fixed solve solved resolve resolved
replace replaced repair repaired request requested requests complete completed
click clicked enter entered select selected submit submitted save saved saving
log logged login logout sign signed signing share shared view viewed visit visited
note notes noted mention mentioned inform informed notify notified mean means meant
feel felt leave left turn turned start started starting end ended ending close
closed closing work worked working look looked looking use used using want wanted
wanting like liked love loved hate think thinking know knowing able unable
across actually almost along already although am an anyway around available away
because become becomes became being below besides beside certainly clearly
completely currently directly easily especially exactly finally fully generally
hopefully immediately instead just kindly later likely maybe mostly nearly
normally obviously once only perhaps probably quickly quite rather recently simply
slightly specifically together truly unfortunately fortunately whenever wherever
whatever whichever otherwise meanwhile furthermore moreover anyway thus hence
one two three four five six seven eight nine ten eleven twelve twenty thirty forty
fifty hundred thousand million first second third fourth fifth half double twice
monday tuesday wednesday thursday friday saturday sunday weekend weekday
january february march april may june july august september october november december
red blue green black white yellow orange purple pink brown grey gray silver gold
size color colour style design quality material cotton leather metal plastic glass
wood paper box bag item items unit units piece pieces pair set kit pack package
packages parcel parcels envelope label labels sticker tag tags
man men woman women child children friend friends people person user users guest
guests client clients buyer buyers seller sellers owner owners partner partners
staff agent agents manager managers employee employees colleague colleagues
address addresses email emails mail letter letters message messages chat text call
calls phone number mobile website site page pages app application apps link links
button buttons menu screen settings setting option options profile section tab form
forms field fields box error errors warning code codes key keys file files document
documents attachment attachments photo photos image images video videos screenshot
device devices laptop tablet computer printer camera battery charger cable screen
software hardware version versions browser chrome firefox safari windows android
iphone ios mac linux internet network wifi connection server cloud storage memory
problem fault issue bug bugs crash crashed slow fast speed loading loaded upload
uploaded download downloaded install installed installation uninstall restart
reset reboot refresh clear cache cookies data backup sync synced
conversation conversations investigation investigate method methods forgot forget
valid invalid expired expire expires spam folder folders inbox jacket shoes shirt
dress jeans coat hat bag watch phone case must might shall should would could cannot
can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't couldn't
shouldn't haven't hasn't hadn't i'm i've i'll i'd you're you've you'll we're we've
we'll they're it's that's there's what's let's issued takes standard usually based
related following above mentioned regarding concerning according additional
extra include information details detail describe description summary summarize
reason reasons explain explanation example examples instance specific general
appropriate relevant necessary possible impossible correct incorrect accurate
polite friendly professional helpful honest brief concise short long tone language
english dutch german spanish french translate translation respond reply answer
`

// supportWords are the words of customer support conversations and knowledge
// articles; the prompts of the benchmark are made of them.
const supportWords = `
order orders ordered ordering refund refunds refunded refunding return returns
returned returning exchange exchanges exchanged days day business working shipping
shipped ship ships shipment shipments delivery deliveries deliver delivered
delivering courier carrier tracking track tracked trackable account accounts
password passwords username usernames reset login locked unlock unlocked verify
verified verification authentication two factor code codes billing bill bills
billed invoice invoices invoiced receipt receipts payment payments pay paid paying
card cards credit debit bank transfer paypal cash voucher vouchers coupon coupons
discount discounts promo promotion sale sales price prices pricing fee fees cost
costs charge charges charged overcharged double subscription subscriptions
subscribe subscribed unsubscribe renew renewal renewed plan plans premium basic
trial free upgrade upgraded downgrade downgraded membership member members
warranty guarantee guaranteed policy policies terms conditions privacy gdpr consent
personal data deletion delete deleted remove removed damaged damage broken defective
faulty missing lost wrong incorrect incomplete late delay delayed delays stuck
pending processing processed dispatch dispatched warehouse stock available
unavailable backorder backordered preorder preordered estimated estimate arrival
arrive arrived arriving expected expect schedule scheduled reschedule appointment
pickup collect collected collection store stores shop shops online website checkout
cart basket quantity product products item items model serial manual instructions
setup assemble assembly installation compatible compatibility specification
specifications dimensions weight measurements fit fits sizing exchangeable
escalate escalated escalation human supervisor specialist ticket tickets case cases
complaint complaints complain feedback review reviews rating ratings satisfied
unsatisfied disappointed frustrated angry upset urgent urgently asap immediately
apologize apologise apologies apology inconvenience understand understanding
assist assistance assistant agent representative department team helpdesk hotline
chatbot bot automated response responses reply replied replies respond responded
answer answered contact contacted reach reached email emailed call called callback
hours opening closed holiday holidays weekend weekends business support center
centre knowledge base article articles faq faqs guide guides policy steps step
option options eligible eligibility ineligible within after before original
condition unused unopened opened packaging label labels prepaid postage free return
returns portal form rma number reference id identifier confirmation confirm
confirmed cancel cancelled canceled cancellation cancellations cancelling modify
modified change address shipping billing country region international domestic
customs duties taxes tax vat import export express standard economy overnight
next-day same-day nextday sameday tracking number status statuses update updates
notification notifications sms text alerts alert fraud fraudulent scam phishing
suspicious secure security safe safety hacked compromised breach chargeback
dispute disputed claim claims insurance insured replacement replacements replace
replaced repair repairs repaired technician visit service serviced maintenance
outage downtime incident incidents error errors failed failure failing declined
rejected approved approval approve accepted accept denied deny
store credit gift giftcard gift-card loyalty points rewards reward cashback
balance wallet statement transaction transactions amount amounts total subtotal
partial full fully percent percentage euro euros dollar dollars pound pounds usd eur
gbp cents minimum maximum limit limits threshold applicable exception exceptions
exclusions excluded final sale clearance hygiene perishable digital downloads
license licence licenses activation activate activated deactivate key keys
`

// foreignWords are common words of Dutch, German, Spanish and French, so that the
// multilingual cases of the benchmark tokenise into pieces rather than bytes.
const foreignWords = `
de het een en van ik je jij u uw mijn niet dat die is op te met voor zijn er maar
om aan ook als dan bij nog wel naar kan kunnen wil willen moet moeten heb hebt heeft
hebben ben bent was waren wordt worden werd geen graag alstublieft bedankt dank
dankjewel hallo goedemorgen goedemiddag vraag vragen antwoord bestelling bestellingen
bestellen besteld retour retourneren terugbetaling geld terug levering bezorging
bezorgd verzending verzonden pakket pakketje dagen dag week weken wachtwoord account
inloggen rekening factuur betaling betalen betaald klant klantenservice hulp helpen
probleem kapot beschadigd verkeerd nog steeds niet ontvangen wanneer waarom hoe wat
waar welke kosten gratis binnen
der die das ein eine einen einem einer und ist nicht ich sie es wir ihr mit von zu
auf für im den dem des sich auch an wie wenn oder aber noch nach bei aus um nur so
kann können muss müssen habe hast hat haben bin bist sind war waren wird werden
bitte danke vielen dank hallo guten tag frage fragen antwort bestellung bestellungen
bestellt rückgabe rücksendung erstattung rückerstattung geld zurück lieferung
versand versendet paket tage tagen woche wochen passwort konto anmelden rechnung
zahlung bezahlt kunde kunden kundenservice hilfe problem kaputt beschädigt falsch
immer noch erhalten wann warum wie was wo welche kosten kostenlos innerhalb
el la los las un una unos unas y o de del al en con por para que es no si sí se lo
le les mi mis tu su sus yo usted nosotros ellos pero como más muy ya también hay
está están estoy tengo tiene tienen puedo puede pueden quiero quiere necesito hola
gracias por favor buenos días pregunta preguntas respuesta pedido pedidos devolución
devolver reembolso dinero entrega envío enviado paquete días semana semanas
contraseña cuenta factura pago pagado cliente clientes ayuda problema roto dañado
equivocado todavía recibido cuándo cuando por qué porque cómo qué dónde cuál costo
gratis dentro
le la les un une des et est pas je vous il elle nous ils elles de du au aux en dans
avec pour par sur que qui ne se ce cette mon ma mes votre vos son sa ses mais ou
comme plus très aussi déjà encore bonjour merci beaucoup svp s'il vous plaît
question questions réponse commande commandes commandé retour retourner
remboursement rembourser argent livraison livré expédition expédié colis jours jour
semaine semaines mot de passe compte facture paiement payé client clients service
aide problème cassé endommagé mauvais toujours reçu quand pourquoi comment quoi où
quel quelle frais gratuit dans
`

// subwordPieces are pieces that continue a word (no word-start marker): suffixes,
// common word endings and fragments of numbers, e-mail addresses and URLs.
const subwordPieces = `
s es ed d ing ings er ers est ly y ie ies ied al ally ial tion tions sion sions
ation ations ment ments ness less ful fully able ably ible ive ives ity ities ous
ously ize ized izes ise ised ises ism ist ists ance ence ant ent ents ure ures age
ages ship ward wards like ish ic ics ical ed's 's 't n't 're 'll 've 'm 'd
un re in dis pre pro con com ex im ir non over under out up down back
a e i o u an en in on un ar er ir or ur at et it ot ut as is os us am em om um
th ch sh ph wh ck ng nk st str pl pr tr gr br cr dr fr bl cl fl gl sl sc sk sm sn sp sw
ll ss tt nn mm pp rr ff gg dd bb cc zz ee oo aa
00 000 0000 01 02 03 04 05 06 07 08 09 10 11 12 15 20 24 25 30 50 99 100 2023 2024 2025
com org net nl de fr es uk eu www http https html php
.com .org .net .nl .de .fr .es ://
en heid lijk tje je jes ing ung ungen keit heit lich ig ische isch ten ter
ción ciones mente dad ado ada idos idas ar er ir ez
ment tion eur euse ée és é er ez ais ait ent ons
`

// jsonKeys are likely property names of the JSON that callers ask the model for. They
// are whole pieces without the word-start marker, biased so that a JSON grammar that
// spells one out gets it in one token rather than letter by letter.
const jsonKeys = `
answer reply response message text content summary reason reasoning escalate
escalation escalated confidence score probability label category intent sentiment
language priority status action name arguments tool type id title tags
`
