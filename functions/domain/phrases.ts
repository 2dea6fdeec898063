/**
 * The phrase lists that find help-first signals in the user's own new text, and the detector.
 *
 * A phrase is a piece of a regular expression, matched case-insensitively on whole words within one
 * sentence. Curly apostrophes are read as straight ones and runs of spaces as one space, so write
 * "i'll send" once. Shorthands keep the lists short:
 *
 *   {I'll}    the writer commits: I'll, I will, ill, I'm going to, we'll, … (or "Will …" opening a sentence)
 *   {you}     you, u, ya
 *   {word}    any one word
 *   {name}    a list of this language's `words` below, as one of its words ({favour}, {notAnAsk}, …)
 *   …         a gap of a few words, or none (up to 60 characters)
 *
 * A guard is written the same way: a sentence a guard of a signal matches never carries that signal
 * ("thanks for nothing", "I can't promise", "I'll be out of office"). Thanks for ordinary courtesy
 * ("thanks for making time", "thanks for the quick reply") is no favour owed: each language's
 * {courtesy} list guards `thanks`, unless a favour is named later in the sentence ("thanks for
 * making time to review the deck").
 *
 * To add a phrase: append it to its signal and language below, and add a sentence it must find (and
 * one it must not) to the table in test/unit/phrases.test.ts. The figures on real sentences come from
 * `npx tsx bench/run.ts phrases` (test/fixtures/phrases/held-out.json: measure with it, never tune to it).
 */

export const signalNames = ['promise', 'thanks', 'ask', 'gave'] as const;
export type SignalName = (typeof signalNames)[number];
export const languages = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof languages)[number];

type PhraseLists = Record<SignalName, Record<Language, readonly string[]>>;

export const phrases: PhraseLists = {
  /** The writer commits to do a specific thing for the recipient. */
  promise: {
    en: [
      "{I'll} ((also|then|definitely|gladly|happily|quickly|just) )?(send|forward|email|e-mail|mail|text|share|pass) ({you}|it|them|this|that|those|these|over|along|across|on|the|a|an|my|our|some|his|her|their|your)",
      "{I'll} get ({you}|it to {you}|that to {you}|this to {you}|them to {you})",
      "{I'll} (introduce|intro|connect|put) ({you}|the two of {you}|both of {you})",
      "{I'll} (make|do|set up|send) (the|an|that|this|a|your) (intro|introduction|connection)",
      "{I'll} (get back|circle back|come back|revert) (to {you}|with)",
      "{I'll} follow up",
      "{I'll} (let {you} know|keep {you} (posted|updated|informed|in the loop))",
      "{I'll} (look into|look at|look over|take a look|have a look|check|dig into|go through|review|read|proofread|ask around|ask (my|our|him|her|them|if|whether|about))",
      "{I'll} (call|ring|phone|ping) {you}",
      "{I'll} give {you} a (call|ring|shout|buzz|hand)",
      "{I'll} (find|get|book|grab|reserve|order|buy) {you}",
      "{I'll} (recommend|refer|vouch for|endorse|nominate|mention) {you}",
      "{I'll} put (in )?a (good )?word",
      "{I'll} (put together|write up|draft|write) ({you}|a|an|the|some|up)",
      "{I'll} (set up|arrange|organi[sz]e|schedule|sort out|take care of|handle|pay {you} back)",
      "{I'll} (lend|bring|return|drop off) ({you}|it|them|the|your)",
      "{I'll} (make sure|do (it|that|this))",
      'let me (connect|introduce|intro|put) {you}',
      'let me (send|forward|share|dig up|dig out|find|check|ask|look into|see (if|what) i can|get back|loop|pull together|put together|follow up|circle back|make (an|the|that) intro)',
      'i (promise|swear)( to| i| that| you|,)',
      '(happy|glad) to (intro|introduce|connect|send|share|forward|review|take a look|have a look|look over|read|put in a word)',
      '^(will|going to|gonna) (do|send|share|forward|introduce|intro|connect|get back|follow up|call|check|look)',
      'leave it with me',
      'consider it done',
      "(i'm|i am) on it",
    ],
    de: [
      '(ich|wir) (schicke|schick|schicken|sende|senden|maile|mailen|leite|leiten|gebe|geb|geben) (dir|ihnen|euch)',
      '(schicke|schick|sende|maile|leite|gebe) ich (dir|ihnen|euch)',
      '(ich|wir) (stelle|stell|stellen) (dich|sie|euch) … vor',
      '(ich|wir) werden? (dir|ihnen|euch) … (schicken|senden|weiterleiten|geben|zeigen|mailen|besorgen)',
      '(ich|wir) werden? (dich|sie|euch) … (vorstellen|verbinden|in (verbindung|kontakt) setzen|bekannt machen|anrufen|empfehlen|vernetzen)',
      '(ich|wir) (verbinde|vernetze|bringe) (dich|sie|euch) … (mit|zusammen)',
      '(ich|wir) (melde mich|melden uns)',
      '(ich|wir) (gebe|geben) (dir|ihnen|euch) … bescheid',
      '(ich|wir) (kümmere mich|kümmern uns) (darum|drum)',
      '(ich|wir) (rufe|ruf|rufen) (dich|sie|euch) … an',
      '(ich|wir) (schaue|schau|schauen) (mir|uns) (das|es|den|die) … an',
      'ich verspreche',
    ],
    fr: [
      "je (t'|vous )(envoie|enverrai|transmets|transmettrai|fais suivre|ferai suivre|passe|passerai|rappelle|rappellerai|appellerai|recontacte|recontacterai)",
      "je vais (t'|te |vous )(envoyer|présenter|presenter|mettre en (relation|contact)|transmettre|appeler|rappeler|recommander|faire suivre|passer|écrire|ecrire)",
      'je (te|vous) (présenterai|presenterai|mettrai en (relation|contact)|recommanderai|écrirai|ecrirai)',
      '(je reviens|je reviendrai|je revien) vers (toi|vous)',
      '(je te|je vous) (redis|tiens au courant|tiendrai au courant|confirme|confirmerai)',
      "je m'en occupe|je m'occupe de",
      '(je te|je vous) (promets|le promets)',
    ],
    es: [
      '(te|le|os|les) (envío|envio|mando|paso|reenvío|reenvio) … (mañana|manana|luego|después|despues|hoy|esta (tarde|noche|semana)|la (semana|próxima|proxima)|el (lunes|martes|miércoles|miercoles|jueves|viernes)|en cuanto|más tarde|mas tarde)',
      '(mañana|manana|luego|después|despues|hoy|esta tarde|esta noche|más tarde|mas tarde) (te|le|os|les) (envío|envio|mando|paso|reenvío|reenvio|escribo|llamo)',
      '(te|le|os|les) voy a (enviar|mandar|pasar|presentar|llamar|escribir|conectar|poner en contacto|recomendar|reenviar|ayudar)',
      '(te|le|os|les) (enviaré|enviare|mandaré|mandare|pasaré|pasare|presentaré|presentare|llamaré|llamare|escribiré|escribire|reenviaré|reenviare|recomendaré|recomendare)',
      '(te|le|os) (pondré|pondre) en contacto',
      '(te|le|os|les) (aviso|confirmo|digo algo)',
      '(yo )?me encargo',
      '(te|le|os) (lo )?prometo',
    ],
  },

  /** The writer thanks the recipient for help they gave. */
  thanks: {
    en: [
      '{thank} ({intensifier} )?for ({word} ){0,3}{favour}',
      '{thank} ({intensifier} )?to you for ({word} ){0,3}{favour}',
      '((really|truly|so|much|greatly|very much) )?appreciate ({word} ){0,2}{favour}',
      '(i|we) owe {you} (one|big|a (beer|drink|coffee|lunch|dinner|pint|favou?r|round))',
      'thanks to (you|your)',
      "you('re| are) a (star|lifesaver|life saver|legend|gem|rock ?star|saint)",
      'you saved (me|us|my|our)',
      "couldn't have done it without {you}",
    ],
    de: [
      '{thank} ({intensifier} )?(für|fuer) ({word} ){0,3}{favour}',
      '{thank},? dass (du|sie|ihr) … {favourDone}',
      '(ich|wir) (schulde|schulden) (dir|ihnen|euch) (was|etwas|einen|eins)',
    ],
    fr: [
      '{thank} ({intensifier} )?(pour|de) ({word} ){0,3}{favour}',
      "{thank} ({intensifier} )?(de |d')(m'avoir|nous avoir|avoir pris le temps)",
      '(je te|je vous) (dois|en dois) une',
    ],
    es: [
      '{thank} ({intensifier} )?(por|de) ({word} ){0,3}{favour}',
      '(te|le|os) agradezco (mucho |muchísimo |muchisimo )?({word} ){0,2}{favour}',
      '(te|le|os) debo una',
    ],
  },

  /** The writer asks the recipient for something (a pure question is no ask). */
  ask: {
    en: [
      '(could|can|would|will) {you} ((please|possibly|kindly|maybe|perhaps|also|just|quickly|pls|plz) )?(?!{notAnAsk}){word}',
      '(would|could) {you} be ({adverb} )?(so kind|kind enough|willing|able|open|up for|happy to|available to|interested in (helping|introducing|reviewing|joining))',
      '(could|can|may|might) (i|we) (ask {you} (for|to)|ask a favou?r|borrow|trouble {you}|impose on {you}|pick your brain|(get|have) your (help|advice|feedback|thoughts|input|eyes))',
      '(could|can) (i|we) (get|grab|have) (a|an|your|some|the) ({word} )?(intro|introduction|copy|quote|reference|referral|recommendation|call|chat|coffee|meeting)',
      '(please|pls|plz|kindly) (do )?(send|share|forward|review|check|confirm|sign|introduce|intro|connect|call|ring|email|return|look|take a look|have a look|read|help|advise|provide|fill|complete|approve|pay|transfer|book|reserve|bring|lend|put|recommend|reach out|ping|pass|submit|add|print|water|feed|cover|vouch|proofread)',
      '(any chance|is there (any|a) (way|chance)|is it possible (that|for)) ({you}|i could|i can|we could|of)',
      "(i was|i'm|i am|we were|we are|just) wondering (if|whether) {you}",
      "(i|we)('d| would) be ({adverb} )?(grateful|thankful|obliged|indebted) (if|for)",
      "(i|we)('d| would) ({adverb} )?(appreciate|love) it if {you}",
      "(i|we)('d| would) ({adverb} )?appreciate (your|any|some)",
      "(it would|it'd|would) (be (great|amazing|lovely|brilliant|super|wonderful|a huge help|helpful|really helpful)|help (a lot|me|us)|mean a lot) if {you}",
      'do {you} know (anyone|anybody|someone|somebody|of anyone|of someone|any good|a good|people|folks)',
      '(need|have|had|ask) a ((quick|small|big|huge|little) )?favou?r',
      '(would|do) {you} mind (?!if){word}',
      '^(mind|care to) (sharing|sending|forwarding|taking|having|looking|reviewing|introducing|connecting|giving|lending|checking|reading|passing)',
      '(would )?love (your|to get your|to have your|some) (eyes|thoughts|feedback|input|help|take|advice|opinion|two cents)',
      'let me know if {you} (could|can|would be able to|might be able to|are able to|have time to)',
      '(i|we) need {you} to',
    ],
    de: [
      '(könntest|koenntest|kannst|würdest|wuerdest|könnten|koennten|können|koennen|würden|wuerden) (du|sie|ihr) (mir|uns|bitte|vielleicht|eventuell|mal|kurz)',
      '(wärst|waerst|wären|waeren) (du|sie|ihr) (bereit|so (nett|freundlich|lieb|gut)|offen)',
      '(bitte )?(schick|schicke|sende|leite|schau|prüf|prüfe|bestätige|ruf|gib|lies) (mir|uns) bitte',
      'bitte (schick|schicke|sende|senden sie|leite|leiten sie|schau|schauen sie|prüf|prüfe|prüfen sie|bestätige|bestätigen sie|ruf|rufen sie|gib mir|lies|unterschreib)',
      '(kennst du|kennen sie|kennt ihr) (jemanden|wen|einen guten|eine gute|leute)',
      'ich (hätte|haette) (eine|da eine) bitte',
      '(wäre|waere) (es )?(toll|super|schön|klasse|nett|hilfreich|großartig|prima),? wenn (du|sie|ihr)',
      '(darf|dürfte|duerfte|könnte|koennte|möchte|wollte) ich (dich|sie|euch) … (bitten|um)',
    ],
    fr: [
      '(pourrais|peux|voudrais|accepterais)-tu',
      '(pourriez|pouvez|voudriez|accepteriez)-vous',
      "(tu|vous) (pourrais|pourriez|peux|pouvez) (me|m'{word}|nous|bien|stp|svp)",
      'est-ce que (tu|vous) (pourrais|pourriez|peux|pouvez|voudrais|voudriez|accepterais|accepteriez)',
      "merci de (bien vouloir )?(me |nous |m')?(envoyer|transmettre|confirmer|faire suivre|relire|valider|signer|rappeler|retourner|indiquer|communiquer|préciser|preciser|présenter|presenter|mettre en)",
      '(envoie|envoyez|transmets|transmettez|relis|relisez|confirme|confirmez|appelle|appelez|rappelle|rappelez)-moi',
      "(connais-tu|connaissez-vous|tu connais|vous connaissez|est-ce que tu connais|est-ce que vous connaissez) (quelqu'un|une personne|des gens|un bon|une bonne)",
      "(serais|seriez)-(tu|vous) (prêt|prête|pret|prete|d'accord|disposé|disposée|dispose)",
      "(tu serais|vous seriez) (prêt|prête|pret|prete|d'accord|disposé|disposée|dispose)",
      '(un|petit) (service|coup de main) à (te|vous) demander',
      '(je te|je vous) serais (très |tres )?(reconnaissant|reconnaissante) (de|si)',
    ],
    es: [
      '(podrías|podrias|puedes|podéis|podeis|podrían|podrian)( tú| tu| por favor)? (?!creer|imaginar|imaginarte|imaginaros){word}',
      '(me|nos) (puedes|puede|pueden|podrías|podrias|podría|podria|podéis|podeis)',
      '(podría|podria|puede) (usted )?{word}(me|nos)',
      '(serías|serias|sería|seria|seríais|seriais) (usted )?(tan amable|tan amables|posible que)',
      '(por favor,? )?(envíame|enviame|mándame|mandame|pásame|pasame|reenvíame|reenviame|ayúdame|ayudame|preséntame|presentame|llámame|llamame|confírmame|confirmame)',
      'por favor,? (revisa|confirma|firma|envía|envia|manda|revise|confirme|firme|envíe|envie)',
      '(conoces|conocéis|conoceis|conoce usted) (a )?(alguien|algún|algun|alguna|gente)',
      '((te|le|os) (quería|queria|quiero) pedir|(quería|queria|quisiera) pedirte|(necesito|tengo que pedirte) un favor|(me|nos) (harías|harias|haría|haria) un favor)',
      '(te|le|os) (agradecería|agradeceria|agradeceríamos|agradeceriamos)',
    ],
  },

  /** The writer delivers help in this very message. */
  gave: {
    en: [
      '{delivery} … ({you} (asked for|asked me for|requested|wanted|needed|were (asking|looking) for)|i promised|as (promised|requested))',
      '{delivery} (the|my|an|a) ((promised|requested|kind) )?(intro|introduction|referral|recommendation|reference|contact|contact details|email address|number|details of)',
      '^as (promised|requested|you asked|you requested|per your request)',
      ', ?as (promised|requested|you asked|you requested|per your request)(?=[.!]*$)',
      '(?<=^|,|, )(please )?meet (?!{you}|up|for|at|on|in|with|tomorrow|today|next){word}',
      'introducing ({you}|the two of {you}|both of {you})',
      "((i've|i have|i just|just|i|i'm|i am) )?(introduced|connected|connecting|introducing|putting) ({you}|the two of {you}|both of {you}) … (to|with|in touch)",
      '(delighted|pleased|thrilled|excited) to (introduce|connect) ({you}|the two of {you}|both of {you})',
      "(i|i've|i have) ((just|already|now|also) )?(sent|forwarded|passed|shared|emailed|put in a (good )?word|recommended {you}|referred {you}|vouched for {you}|spoke to|talked to|spoke with|talked with) … (your|{you})",
      "(i|i've|i have|i just|just) went ahead and",
      "((i've|i have|i just|just|i already|already) )(booked|reviewed|read|signed|fixed|sorted|set up|scheduled|submitted|dropped off|picked up|ordered) … (your|{you})",
      '(i|i just) (dropped|dropped off|left|picked up) … (as {you} asked|for {you})',
      'forwarding ({you}|your)',
    ],
    de: [
      '(anbei|im anhang|in der anlage|hier (ist|sind|die|der|das|kommt|kommen|noch)) … (gebeten|gewünscht|gewuenscht|wolltest|wollten|versprochen|angefragt|angefordert|erbeten)',
      'wie (versprochen|gewünscht|gewuenscht|erbeten|angefragt)',
      '(habe|hab|haben) (dich|sie|euch) … (vorgestellt|bekannt gemacht|verbunden|vernetzt|empfohlen|in kontakt gebracht)',
      '(habe|hab|haben) (dir|ihnen|euch) … (geschickt|gesendet|weitergeleitet|gemailt)',
      '(darf ich (vorstellen|bekannt machen)|einander vor|euch (beide|zwei) … vor)',
      '(ich )?leite (dir|ihnen|euch) … weiter',
    ],
    fr: [
      '(ci-joint|ci joint|en pièce jointe|en piece jointe|en pj|voici|vous trouverez|tu trouveras) … (demandé|demandée|demandés|demandées|promis|promise|promises|souhaité|souhaitée|voulais|vouliez|évoqué|évoquée|mentionné|mentionnée)',
      "comme (promis|demandé|demande|tu me l'as demandé|vous me l'avez demandé)",
      '(je te|je vous) (présente|presente)',
      '(je te|je vous|je) mets (en relation|en contact)',
      "(je t'ai|je vous ai) … (présenté|presente|recommandé|recommande|mis en (relation|contact)|transmis|envoyé|envoye|fait suivre)",
      "j'ai (transmis|envoyé|envoye|fait suivre|recommandé|recommande|parlé de|parle de) (ton|ta|tes|votre|vos|toi|vous)",
    ],
    es: [
      '(adjunto|adjunta|adjuntos|te adjunto|le adjunto|aquí tienes|aqui tienes|aquí va|aqui va|aquí está|aqui esta|aquí te|aqui te|te envío|te envio|te paso|te mando|te reenvío|te reenvio) … (pediste|pidió|pidio|pedido|solicitaste|solicitado|querías|querias|prometí|prometi|prometido|necesitabas)',
      'como (te |le |os )?(prometí|prometi|pediste|pidió|pidio|pedisteis)',
      '(te|os|le|les) presento a',
      '(te|os|le|les) pongo en contacto con',
      '(te|le|os) (he|hemos) (enviado|mandado|pasado|presentado|recomendado|reenviado)',
      '(he|ya he) (enviado|pasado|mandado|reenviado|recomendado) (tu|su|vuestro|vuestra)',
    ],
  },
};

/** A sentence a guard matches never carries that signal. */
export const guards: PhraseLists = {
  promise: {
    en: [
      "(can't|cannot|can not|couldn't|won't|wouldn't) promise",
      'no promises|not promising',
      "{I'll} (not|never)",
      'out of (the )?office|ooo|away from (the|my) desk|limited access to',
      'on (annual |parental |maternity |paternity |sick )?leave',
      "if {you}( want| wish| like| need| prefer|'d like| would like)",
      '(shall|should) i|(want|like|need) me to',
    ],
    de: [
      '(nichts|nicht) versprechen|keine versprechungen',
      'nicht im büro|nicht im buero|abwesend|außer haus|im urlaub',
      '(wenn|falls) (du|sie|ihr) (willst|möchtest|moechtest|möchten|moechten|wollt)',
    ],
    fr: [
      'ne (peux|peut|puis) (rien|pas) promettre|sans garantie',
      'absente?|en congés?|hors du bureau',
      'ci-joint|en pièce jointe|en piece jointe|voici',
      '(si|quand) (tu veux|vous voulez|tu le souhaites|vous le souhaitez)',
    ],
    es: [
      'no (te |le )?puedo prometer',
      'fuera de la oficina|de vacaciones|ausente',
      'adjunto|adjunta|aquí (tienes|va|está|te)|aqui (tienes|va|esta|te)',
      'si (quieres|lo deseas|usted quiere|prefieres)',
    ],
  },
  thanks: {
    en: [
      'thanks for nothing',
      '(no|nope),? {thank}',
      '{thank},? but (no|i|we|not)',
      '{thank} (anyway|anyways)',
      'in advance|advance thanks|thanks ahead',
      "(i|we)('d| would) (be )?({adverb} )?(appreciate|grateful|thankful)",
      "no need to thank|(don't|do not) (need to )?thank",
      '{thank} ({intensifier} )?(to you )?for ((?!{favour}){word} ){0,2}{courtesy}(?!.*{favour})',
    ],
    de: [
      'danke für nichts',
      'nein,? danke',
      'danke,? aber',
      '(im voraus|vorab)',
      '{thank} ({intensifier} )?(für|fuer) ((?!{favour}){word} ){0,2}{courtesy}(?!.*{favour})',
      '{thank},? dass (du|sie|ihr) … {courtesyDone}(?!.*{favour})',
    ],
    fr: [
      'non,? merci',
      'merci,? mais',
      'merci pour rien',
      "merci (d'avance|par avance|à l'avance|quand même)",
      "{thank} ({intensifier} )?(pour|de|d') ?((?!{favour}){word} ){0,2}{courtesy}(?!.*{favour})",
    ],
    es: [
      'no,? gracias',
      'gracias,? pero',
      'gracias por nada',
      'de antemano|por adelantado|anticipad',
      '{thank} ({intensifier} )?(por|de) ((?!{favour}){word} ){0,2}{courtesy}(?!.*{favour})',
    ],
  },
  ask: {
    en: [
      '(can|could|may|shall) (i|we) help',
      'let me know if (i|we) can',
      '(want|like|need) me to',
    ],
    de: [
      '(kann|soll) ich (dir|ihnen|euch) helfen',
      '(kannst|könntest) du (dir|das) (vorstellen|glauben)',
    ],
    fr: ["(je peux|puis-je) (t'|vous )?aider", "n'hésite pas|n'hésitez pas"],
    es: ['(puedo|podría|podria) (ayudarte|ayudarle|ayudaros)'],
  },
  gave: {
    en: ["haven't|have not|hasn't|didn't|did not|not yet|forgot to|still need to"],
    de: ['noch nicht|vergessen'],
    fr: ['pas encore|toujours pas|oublié de|oublie de'],
    es: ['todavía no|todavia no|aún no|aun no|olvidé|olvide'],
  },
};

/** The word lists behind `{name}` in the phrases of each language. */
export const words: Record<Language, Record<string, readonly string[]>> = {
  en: {
    thank: [
      'thanks',
      'thank you',
      'thank-you',
      'thankyou',
      'thx',
      'thnx',
      'tnx',
      'ty',
      'cheers',
      'grateful',
      'thankful',
      'many thanks',
      'huge thanks',
      'big thanks',
    ],
    intensifier: [
      'so much',
      'so very much',
      'very much',
      'a lot',
      'a ton',
      'a million',
      'a bunch',
      'heaps',
      'loads',
      'tons',
      'again',
      'once again',
      'so much again',
    ],
    favour: [
      'intro',
      'introduction',
      'introducing',
      'connection',
      'connecting',
      'referral',
      'referring',
      'recommendation',
      'recommending',
      'reference',
      'help',
      'helping',
      'assistance',
      'advice',
      'feedback',
      'input',
      'tips',
      'pointers',
      'guidance',
      'suggestions',
      'review',
      'reviewing',
      'proofreading',
      'reading',
      'looking (at|over|into)',
      'taking a look',
      'having a look',
      'hosting',
      'hospitality',
      'lending',
      'loan',
      'support',
      'supporting',
      'vouching',
      'putting in a (good )?word',
      'putting (me|us) in touch',
      'sorting',
      'fixing',
      'covering',
      'mentoring',
      'taking the time',
      'making (the )?time',
      'lift',
      'ride',
      'favou?r',
      'going out of your way',
      'thinking of (me|us)',
      'walk(ing)? (me|us) through',
      'opportunity',
      'having (me|us)',
      'inviting (me|us)',
      'invite',
      'invitation',
      'lunch',
      'dinner',
      'gift',
    ],
    adverb: ['so', 'very', 'really', 'most', 'extremely', 'super', 'eternally', 'hugely'],
    /** What follows "could you" in a question that asks for nothing: "could you believe it?". */
    notAnAsk: [
      'not',
      'believe',
      'imagine',
      'be',
      'like',
      'love',
      'guess',
      'say',
      'think',
      'agree',
      'remember',
      'see',
      'hear',
      'feel',
      'want',
      'need',
      'ever',
      'still',
      'already',
      'really',
      'actually',
      'make it',
      'tell (if|whether|the difference)',
      'have (been|seen|heard|to)',
    ],
    delivery: [
      'here is',
      "here's",
      'heres',
      'here are',
      "attached (is|are|please find|you('ll| will) find)",
      'please find (attached|enclosed|below)',
      'enclosed (is|are|please find)',
      "(i've|i have) attached",
      "(i'm|i am) attaching",
      'attaching',
      'sharing',
      'below (is|are)',
      'here you go',
    ],
    /** Thanks for these is courtesy, not a favour owed (guards `thanks`). */
    courtesy: [
      '(making|taking|finding) (the |some |a (few|couple of) )?(time|minutes)',
      'your time',
      'thinking of (me|us)',
      'getting back',
      '(writing|replying|responding|answering|reaching out|following up|checking in)',
      '((so|such) )?(quick|quickly|fast|speedy|prompt|kind|lovely|nice) (reply|response|answer|note|turnaround)',
      '(reply|response|answer|note|message|e-?mail|update|reminder|heads[- ]up|call|chat|catch[- ]up)',
      '(letting (me|us) know|confirming|your patience|your understanding)',
    ],
  },
  de: {
    thank: [
      'danke',
      'dankeschön',
      'danke schön',
      'vielen dank',
      'herzlichen dank',
      'besten dank',
      'tausend dank',
      'lieben dank',
      'ganz lieben dank',
      '(ich|wir) (danke|danken) (dir|ihnen|euch)',
      '(ich bin|wir sind) (dir|ihnen|euch) (sehr |so )?dankbar',
    ],
    intensifier: [
      'auch',
      'nochmal',
      'nochmals',
      'noch einmal',
      'sehr',
      'vielmals',
      'nochmal ganz herzlich',
    ],
    favour: [
      'vorstellung',
      'vermittlung',
      'intro',
      'empfehlung',
      'hilfe',
      'unterstützung',
      'unterstuetzung',
      'rat',
      'ratschlag',
      'ratschläge',
      'tipps?',
      'feedback',
      'input',
      'gastfreundschaft',
      'einladung',
      'mühe',
      'durchsicht',
      'korrektur',
      'vernetzung',
      'kontakt zu',
    ],
    favourDone: [
      'vorgestellt',
      'verbunden',
      'empfohlen',
      'geholfen',
      'vermittelt',
      'geliehen',
      'übernommen',
      'durchgesehen',
      'gelesen',
      'bekannt gemacht',
      'zeit genommen',
    ],
    courtesy: [
      '(die|deine|ihre|eure) (schnelle |rasche |nette |freundliche |kurze )?(antwort|rückmeldung|rueckmeldung|nachricht|mail|e-mail|zeit|geduld)',
      '(das|den) (gespräch|gespraech|telefonat|anruf|update)',
    ],
    /** "Danke, dass du …": courtesy done, not a favour. */
    courtesyDone: [
      '(die |so viel )?zeit genommen',
      'an (mich|uns) gedacht',
      '(so schnell )?(geantwortet|zurückgeschrieben|zurueckgeschrieben|gemeldet)',
    ],
  },
  fr: {
    thank: [
      'merci',
      'un grand merci',
      'grand merci',
      'mille mercis',
      'merci beaucoup',
      'merci mille fois',
      '(je te|je vous) remercie',
    ],
    intensifier: ['encore', 'beaucoup', 'infiniment', 'mille fois', 'bien', 'encore une fois'],
    favour: [
      'mise en (relation|contact)',
      'présentation',
      'presentation',
      'introduction',
      'recommandation',
      'aide',
      'coup de main',
      'conseils?',
      'avis',
      'relecture',
      'soutien',
      'accueil',
      'hospitalité',
      'hospitalite',
      'invitation',
      'prêt',
      'piston',
      'contact',
    ],
    courtesy: [
      'avoir pris le temps',
      'ton temps|votre temps',
      "(m'|nous )avoir (répondu|repondu|rappelé|rappele|écrit|ecrit|recontacté|recontacte)",
      'avoir pensé à (moi|nous)|avoir pense a (moi|nous)',
      '(ta|votre) (réponse|reponse|retour|message|mail)( rapide)?',
      "(l'appel|ton appel|votre appel|ton message|votre message|ton mail|votre mail)",
    ],
  },
  es: {
    thank: [
      'gracias',
      'muchas gracias',
      'mil gracias',
      'muchísimas gracias',
      'muchisimas gracias',
      '(te|le|os) agradezco',
      'agradecid[oa]s?',
    ],
    intensifier: ['de nuevo', 'otra vez', 'muchísimo', 'muchisimo', 'una vez más'],
    favour: [
      'presentación',
      'presentacion',
      'presentarme',
      'presentarnos',
      'introducción',
      'introduccion',
      'contacto',
      'recomendación',
      'recomendacion',
      'recomendarme',
      'referencia',
      'ayuda',
      'ayudarme',
      'ayudarnos',
      'consejos?',
      'comentarios',
      'feedback',
      'revisión',
      'revision',
      'revisar',
      'hospitalidad',
      'invitación',
      'invitacion',
      'acogida',
      'préstamo',
      'prestamo',
      'prestarme',
      'conectarme',
      'ponerme en contacto',
    ],
    courtesy: [
      '(tomarte|tomarse|tomaros) (el|un) (tiempo|rato)',
      '(tu|su) tiempo',
      'pensar en (mí|mi|nosotros)',
      '(responder|responderme|contestar|contestarme|escribirme|escribir|la llamada)',
      '(tu|su) (rápida |rapida |pronta )?(respuesta|mensaje|correo|llamada)( rápida| rapida)?',
    ],
  },
};

/** The shorthands every language shares. */
const shared: Record<string, string> = {
  "I'll":
    "(?:i'll|i will|i shall|ill|i'm going to|i am going to|im going to|i'm gonna|im gonna|we'll|we will|we're going to|we are going to|^will|^going to)",
  you: '(?:you|u|ya)',
  word: String.raw`\p{L}[\p{L}'-]*`,
};

// ---------------------------------------------------------------------------------------------

export { asksForHelp, helpRequestWords } from './help-request.ts';

// ---------------------------------------------------------------------------------------------

/** Request phrases that make a message await a reply (see own-text.ts): wider than `ask`. */

/** "Let me know if I can help" offers something: after "let me know", these ask nothing. */
const offer = String.raw`(?! if (?:i|we) can\b| if you need\b| if there(?:'s|’s| is) anything\b)`;

/**
 * Phrases that make a message ask something even without a question mark: a reply is awaited.
 * Every `ask` above is also a request; not every request asks FOR something ("let me know what you
 * think"). A transparent list: extend it here and in own-text.test.ts together.
 */
export const requestPhrases: readonly RegExp[] = [
  /\b(could|can|would|will) you\b(?! not\b)/i,
  /\bwould you be (willing|able|open)\b/i,
  new RegExp(
    String.raw`\b(please|pls) (let me know${offer}|send|share|confirm|reply|get back|review|advise|check|call|forward)\b`,
    'i',
  ),
  new RegExp(String.raw`\blet me know\b${offer}`, 'i'),
  /\bget back to me\b/i,
  /\blooking forward to (hearing|your reply|your answer)\b/i,
  /\bdo you (have|know|think|want|mind)\b/i,
  /\bare you (free|available|around|able|interested)\b/i,
  /\bany (thoughts|chance|news|update)\b/i,
  /\bi('d| would) (love|like) (to hear|your|to know)\b/i,
  // A follow-up that nudges without a question mark still asks for the reply it follows up on.
  /\b(just )?(checking in|following up|circling back|bumping) (on|about) (this|that|it|my|our|the)\b|\bjust (checking in|following up|circling back|bumping this)\b|\b(gentle|friendly|quick) (reminder|nudge)\b/i,
];

// ---------------------------------------------------------------------------------------------

export type Found = { phrase: string };
export type DetectedSignals = { promise?: Found; thanks?: Found; ask?: Found; gave?: Found };

const notALetter = String.raw`[\p{L}\p{N}]`;

/** One phrase as a regular expression: shorthands expanded, whole words only. */
export function compilePhrase(phrase: string, language: Language): RegExp {
  const source = phrase
    .replace(/\{([A-Za-z']+)\}/g, (_, name: string) => {
      const list = words[language][name];
      if (list) return `(?:${list.join('|')})(?!${notALetter})`;
      const pattern = shared[name];
      if (pattern) return pattern;
      throw new Error(`Unknown shorthand {${name}} in the ${language} phrase "${phrase}"`);
    })
    .replaceAll(' … ', ' (?:.{0,60}? )?')
    .replaceAll('…', '.{0,60}?');
  return new RegExp(`(?<!${notALetter})(?:${source})(?!${notALetter})`, 'iu');
}

function compileAll(lists: PhraseLists): Record<SignalName, RegExp[]> {
  const out = {} as Record<SignalName, RegExp[]>;
  for (const signal of signalNames)
    out[signal] = languages.flatMap((language) =>
      lists[signal][language].map((phrase) => compilePhrase(phrase, language)),
    );
  return out;
}

interface Compiled {
  phrases: Record<SignalName, RegExp[]>;
  guards: Record<SignalName, RegExp[]>;
  /**
   * All the phrases of a signal as one expression: a sentence it does not match matches none of
   * them, which is most sentences, and one pass over the sentence tells so instead of one per phrase.
   */
  anyPhrase: Record<SignalName, RegExp>;
}

let compiled: Compiled | null = null;

const wordStart = `(?<!${notALetter})`;

/**
 * One expression that matches where any of `phrases` does. Each starts with the same look back
 * (`compilePhrase`), written once in front of them all: the engine then looks back once where a
 * phrase could start, not once for each phrase.
 */
function anyOf(phrases: readonly RegExp[]): RegExp {
  const rest = phrases.map((phrase) => {
    if (!phrase.source.startsWith(wordStart)) throw new Error(`no word start in ${phrase.source}`);
    return phrase.source.slice(wordStart.length);
  });
  return new RegExp(`${wordStart}(?:${rest.join('|')})`, 'iu');
}

/**
 * The lists as regular expressions, made on first use: each `\p{L}` costs V8 a Unicode table
 * lookup as the expression is made, some 100 ms for all of them, which a process that never reads
 * a user's own text (most mail it gets is rejected before) should not pay as it starts.
 */
function compiledLists(): Compiled {
  if (compiled) return compiled;
  const phraseExpressions = compileAll(phrases);
  compiled = {
    phrases: phraseExpressions,
    guards: compileAll(guards),
    anyPhrase: Object.fromEntries(
      signalNames.map((signal) => [signal, anyOf(phraseExpressions[signal])]),
    ) as Record<SignalName, RegExp>,
  };
  return compiled;
}

/**
 * The sentences of a text, each on one line with straight apostrophes. A new sentence starts after
 * . ! ? or …, at a blank line, and at a line break before a capital (a greeting line); a line that
 * was only wrapped by the mail client stays in its sentence.
 */
export function sentencesOf(text: string): string[] {
  return text
    .replace(/[’‘ʼ]/g, "'")
    .split(/\n\s*\n|(?<=[.!?…])\s+|\n(?=\s*[\p{Lu}¿¡])/u)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence !== '');
}

/**
 * The help-first signals the user's own new text carries, each with the words that showed it (the
 * first sentence that says so). A sentence that a guard of a signal matches never carries it.
 */
export function detectSignals(ownText: string): DetectedSignals {
  const found: DetectedSignals = {};
  const lists = compiledLists();
  for (const sentence of sentencesOf(ownText)) {
    for (const signal of signalNames) {
      if (found[signal] || !lists.anyPhrase[signal].test(sentence)) continue;
      // The first phrase that matches, then the guards: most sentences match no phrase, and then
      // what the guards say does not matter.
      let match: RegExpExecArray | null = null;
      for (const phrase of lists.phrases[signal]) {
        match = phrase.exec(sentence);
        if (match) break;
      }
      if (!match || lists.guards[signal].some((guard) => guard.test(sentence))) continue;
      found[signal] = { phrase: match[0].trim() };
    }
  }
  return found;
}
