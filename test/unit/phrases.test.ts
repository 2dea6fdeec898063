import { describe, expect, it } from 'vitest';
import {
  asksForHelp,
  compilePhrase,
  detectSignals,
  type Language,
  languages,
  type SignalName,
  sentencesOf,
  signalNames,
} from '#domain/phrases.ts';

type Examples = Record<SignalName, Record<Language, string[]>>;

/**
 * Sentences each signal must be heard in, per language. Adding a phrase? Add a sentence here.
 * (These are not the held-out sentences of test/fixtures/phrases: those only measure.)
 */
const heard: Examples = {
  promise: {
    en: [
      "I'll email you the floor plan tonight.",
      'I will forward them the brief once legal signs off.',
      'Ill text you her number after lunch',
      "I'll connect you with our head of design.",
      "We'll get back to you with a quote on Thursday.",
      "I'm going to make the intro to Kofi this week.",
      "I'll keep you posted on the funding round.",
      "I'll have a look at your portfolio over the weekend.",
      "I'll ring you after the school run.",
      "I'll vouch for you with the co-op board.",
      "I'll put in a word with the curator.",
      "I'll draft a short bio you can reuse.",
      "I'll take care of the booking.",
      'Let me introduce you to my accountant, she is great.',
      'Let me see what I can do about the tickets.',
      'I promise to read it properly this time.',
      'Glad to take a look at the pitch deck.',
      'Will do, thanks for the nudge.',
      'Leave it with me.',
      'I’ll bring your jacket back on Sunday.',
    ],
    de: [
      'Ich schicke Ihnen das Angebot bis Mittwoch.',
      'Morgen schicke ich dir die Fotos.',
      'Ich stelle Sie gerne unserer Chefin vor.',
      'Ich werde dir die Zahlen nach dem Meeting schicken.',
      'Ich werde Sie mit Frau Weber in Kontakt setzen.',
      'Ich melde mich nächste Woche wieder.',
      'Ich gebe dir Bescheid, sobald ich mehr weiß.',
      'Ich kümmere mich darum.',
      'Ich rufe dich heute Abend an.',
    ],
    fr: [
      "Je vous envoie le devis d'ici jeudi.",
      'Je vais te mettre en contact avec ma cousine.',
      'Je vous présenterai à notre directrice lundi.',
      'Je reviens vers toi dès que possible.',
      'Je te tiens au courant pour la salle.',
      "Je m'en occupe.",
    ],
    es: [
      'Te mando las fotos esta noche.',
      'Mañana le envío el presupuesto.',
      'Te voy a poner en contacto con mi socia.',
      'Le llamaré el jueves.',
      'Te aviso cuando tenga noticias.',
      'Yo me encargo de las entradas.',
    ],
  },
  thanks: {
    en: [
      'Thanks a ton for connecting me with Ravi!',
      'Thank you for all your advice on the lease.',
      'Many thanks for the kind introduction to Helga.',
      'Cheers for lending me the ladder.',
      'Really appreciate your feedback on the essay.',
      'We owe you a beer for the move.',
      'Thanks to you, the grant came through.',
      "You're a lifesaver, the slides were perfect.",
      "Couldn't have done it without you.",
      'thx so much for taking the time to walk me through it',
      'Thanks for making time to review my deck.',
      'Thanks for the intro call with Priya.',
    ],
    de: [
      'Tausend Dank für die Empfehlung bei Siemens!',
      'Danke nochmal für deine Tipps zur Bewerbung.',
      'Ich danke Ihnen für Ihre Unterstützung beim Antrag.',
      'Danke, dass du mich mit Karla verbunden hast.',
      'Ich schulde dir was.',
    ],
    fr: [
      'Merci encore pour ton coup de main samedi.',
      'Je vous remercie pour votre recommandation.',
      "Merci de m'avoir présenté à Hélène.",
      'Mille mercis pour les conseils sur le bail.',
    ],
    es: [
      'Gracias de nuevo por tu ayuda con el piso.',
      'Te agradezco la recomendación para el puesto.',
      'Muchísimas gracias por presentarnos a Carmen.',
      'Te debo una.',
    ],
  },
  ask: {
    en: [
      'Could you introduce me to your editor?',
      'Can u forward this to Jess',
      'Would you be so kind as to sign the petition?',
      'May I pick your brain about pricing?',
      'Can we grab a quick call on Monday?',
      'Please share the Figma link.',
      'Any chance you could lend me the camera?',
      "I'm wondering if you could host us in June.",
      "We'd be very grateful for any pointers.",
      "I'd really appreciate your honest take.",
      'It would mean a lot if you could come to the reading.',
      'Do you know someone who fixes old bikes?',
      'I have a small favour to ask.',
      'Mind forwarding me the invite?',
      "I'd love your feedback on the intro paragraph.",
      'Let me know if you can cover Thursday.',
    ],
    de: [
      'Kannst du mir den Schlüssel vorbeibringen?',
      'Würden Sie bitte die Rechnung prüfen?',
      'Wären Sie so freundlich, mir zurückzurufen?',
      'Schick mir bitte die Adresse.',
      'Bitte leiten Sie das an Herrn Maier weiter.',
      'Kennst du jemanden bei der Stadt?',
      'Ich hätte eine Bitte.',
      'Wäre toll, wenn du morgen helfen könntest.',
    ],
    fr: [
      'Peux-tu me rappeler ce soir ?',
      'Pourriez-vous valider le budget ?',
      'Vous pouvez me dire si ça vous va ?',
      'Merci de bien vouloir me confirmer votre présence.',
      'Envoie-moi le plan stp.',
      "Connaissez-vous quelqu'un chez Renault ?",
      'Je vous serais reconnaissant de relire ce texte.',
    ],
    es: [
      '¿Puedes revisar el contrato antes del viernes?',
      '¿Nos podría enviar la factura?',
      '¿Sería usted tan amable de firmar aquí?',
      'Mándame la dirección, porfa.',
      '¿Conoces a alguien en la embajada?',
      'Te quería pedir un favor.',
    ],
  },
  gave: {
    en: [
      'Here are the notes you were asking for.',
      "Attached you'll find the template I promised.",
      'Please find below the contact details of our lawyer.',
      'As requested, the figures for Q3 are in the sheet.',
      'Ana, meet Boris. Boris, meet Ana.',
      'Introducing the two of you: you both love sailing.',
      "I've connected you with Priyanka in the thread below.",
      'Delighted to introduce you both.',
      'I just forwarded your portfolio to the art director.',
      'I already signed your form and left it at reception.',
      'Forwarding you the thread with the landlord.',
    ],
    de: [
      'Im Anhang die Liste, die du wolltest.',
      'Wie versprochen die Kontaktdaten von Jana.',
      'Ich habe dich mit Herrn Okafor bekannt gemacht.',
      'Ich habe dir die Präsentation weitergeleitet.',
      'Darf ich vorstellen: Mira, unsere neue Kollegin.',
    ],
    fr: [
      'Voici les photos que tu voulais.',
      'Comme promis, le lien vers la vidéo.',
      'Je te présente Hugo, dont je te parlais.',
      "Je t'ai recommandé auprès de la directrice.",
    ],
    es: [
      'Aquí tienes el enlace que me pediste.',
      'Como te prometí, los datos de Ana.',
      'Os presento a Marta y a Luis.',
      'Te he enviado el borrador por WhatsApp.',
    ],
  },
};

/** Sentences that must NOT carry the signal: near misses, formalities, offers, negations. */
const notHeard: Examples = {
  promise: {
    en: [
      "I'll be at the dentist until noon.",
      "I'll be out of the office until the 12th and will reply when I'm back.",
      'No promises, but I will send something if I find it.',
      "I'll never send another email after midnight.",
      "I'll send you the file if you'd like.",
      'Shall I forward you the thread?',
      "I'll miss you guys!",
      'Let me know if there is anything you need.',
      "She'll send you the invite.",
      "I'll return on Monday.",
    ],
    de: [
      'Ich werde im Urlaub sein, ich schicke dir nichts.',
      'Ich kann dir nichts versprechen.',
      'Ich bin bis Freitag nicht im Büro.',
    ],
    fr: ['Je serai en congés, je vous envoie rien.', 'Je ne peux pas promettre, désolé.'],
    es: ['No te puedo prometer que llegue.', 'Estoy de vacaciones hasta el lunes.'],
  },
  thanks: {
    en: [
      'Thanks for the email.',
      'Thank you for getting in touch.',
      'Thanks for nothing, honestly.',
      'No thanks, I have one already.',
      'Thanks, but we will pass.',
      'Thanks in advance for your help with this.',
      "I'd be grateful for your help with the audit.",
      'Thanks anyway for the help.',
      'I appreciate the quick response.',
      'Thanks for making time on Friday.',
      'Thank you for thinking of us!',
      'Thanks again for getting back to me.',
      'Thanks for the speedy reply.',
      'Thanks for the call this morning.',
      'Many thanks for taking the time to meet.',
    ],
    de: [
      'Danke für Ihre Nachricht.',
      'Nein danke.',
      'Danke im Voraus für deine Hilfe.',
      'Danke, dass Sie sich die Zeit genommen haben.',
      'Vielen Dank für die schnelle Rückmeldung.',
    ],
    fr: [
      "Merci d'avance pour ton aide.",
      'Merci pour ton mail.',
      'Non merci.',
      "Merci d'avoir pris le temps de m'appeler.",
      "Merci d'avoir pensé à nous.",
    ],
    es: [
      'Gracias de antemano por tu ayuda.',
      'Gracias por escribir.',
      'Gracias, pero no.',
      'Gracias por tomarte el tiempo de llamarme.',
      'Gracias por pensar en nosotros.',
    ],
  },
  ask: {
    en: [
      'Can you believe the weather?',
      'Would you like to come to the launch party?',
      'Could you not reply-all next time, haha.',
      'Will you be around in August?',
      'Did the parcel arrive?',
      'Can I help with anything?',
      'Do you want me to send it?',
      'You could ask Tom instead.',
    ],
    de: ['Kannst du dir das vorstellen?', 'Kann ich dir helfen?', 'Wie war der Urlaub?'],
    fr: ['Tu as bien dormi ?', "N'hésitez pas si besoin."],
    es: ['¿Puedes creerlo?', '¿Qué tal el viaje?', 'Puedo ayudarte con la mudanza.'],
  },
  gave: {
    en: [
      'Here is my availability for next week.',
      'Attached is the agenda.',
      "I haven't forwarded your CV yet.",
      'Nice to meet you!',
      'Meet you at the station at 9.',
      'I sent the wrong attachment.',
    ],
    de: ['Anbei meine Rechnung.', 'Ich habe dir noch nicht geschrieben.'],
    fr: ['Ci-joint ma facture.', "Je n'ai pas encore envoyé le lien."],
    es: ['Adjunto mi factura.', 'Todavía no te he enviado el enlace.'],
  },
};

function rows(examples: Examples): [SignalName, Language, string][] {
  return signalNames.flatMap((signal) =>
    languages.flatMap((language) =>
      examples[signal][language].map(
        (text) => [signal, language, text] as [SignalName, Language, string],
      ),
    ),
  );
}

describe('detectSignals', () => {
  it.each(rows(heard))('hears %s (%s) in %j', (signal, _, text) => {
    // Act
    const signals = detectSignals(text);

    // Assess
    expect(signals[signal]).toBeDefined();
  });

  it.each(rows(notHeard))('hears no %s (%s) in %j', (signal, _, text) => {
    // Act
    const signals = detectSignals(text);

    // Assess
    expect(signals[signal]).toBeUndefined();
  });

  it('gives the words that showed each signal, as the user wrote them', () => {
    // Prepare
    const text = 'Thank you so much for the intro to Lee!\n\nI’ll send you my notes from the call.';

    // Act
    const signals = detectSignals(text);

    // Assess
    expect(signals).toEqual({
      thanks: { phrase: 'Thank you so much for the intro' },
      promise: { phrase: "I'll send you" },
    });
  });

  it('hears several signals in one message, each from its own sentence', () => {
    // Prepare
    const text = 'Here is the intro you asked for. Could you return the favour with Sam?';

    // Act
    const signals = detectSignals(text);

    // Assess
    expect(Object.keys(signals).sort()).toEqual(['ask', 'gave']);
  });

  it('lets a guard silence only its own sentence', () => {
    // Prepare
    const text = 'Thanks for nothing, printer. Anyway: thanks for your help with the flyers!';

    // Act
    const signals = detectSignals(text);

    // Assess
    expect(signals.thanks).toEqual({ phrase: 'thanks for your help' });
  });

  it.each([
    ['Dutch', 'Ik stuur je de offerte morgen. Bedankt voor de hulp!'],
    ['Italian', 'Grazie per la presentazione, ti mando il file.'],
    ['Polish', 'Dziękuję za pomoc, wyślę ci umowę jutro.'],
  ])('hears nothing in %s, which has no phrase list', (_, text) => {
    // Act
    const signals = detectSignals(text);

    // Assess
    expect(signals).toEqual({});
  });

  it('hears nothing in an empty text', () => {
    expect(detectSignals('')).toEqual({});
  });
});

describe('sentencesOf', () => {
  it('splits at sentence ends, blank lines and greeting lines, not at wrapped lines', () => {
    // Prepare
    const text = 'Hi Ana,\nI’ll send you the\nplan tonight. Ok?\n\nbest';

    // Act
    const sentences = sentencesOf(text);

    // Assess
    expect(sentences).toEqual(['Hi Ana,', "I'll send you the plan tonight.", 'Ok?', 'best']);
  });
});

describe('compilePhrase', () => {
  it('matches whole words only, accents included', () => {
    // Prepare
    const phrase = compilePhrase('comme promis', 'fr');

    // Assess
    expect(phrase.test('Comme promis, voici')).toBe(true);
    expect(phrase.test('comme promise')).toBe(false);
  });

  it('refuses a shorthand it does not know', () => {
    expect(() => compilePhrase('{nope} thanks', 'en')).toThrow(/Unknown shorthand \{nope\}/);
  });
});

describe('a request for help, apart from a plain instruction', () => {
  it.each([
    'Could you review the deck before Friday?',
    'Would you be willing to introduce me to Ana?',
    'Could I get your advice on the lease?',
    'Can you spare 20 minutes of your time next week?',
    'Könntest du mich Lena vorstellen?',
    'Pourriez-vous me donner votre avis ?',
    '¿Me puedes ayudar con la mudanza?',
  ])('hears help asked in "%s"', (sentence) => {
    expect(asksForHelp(sentence)).toBe(true);
  });

  it.each([
    'Perfect, please book it.',
    'Please send the invoice to accounts.',
    'Bitte buche den Raum für Donnerstag.',
    'Merci de confirmer la réservation.',
    'Por favor, confirma la reserva.',
  ])('hears a plain instruction in "%s"', (sentence) => {
    expect(asksForHelp(sentence)).toBe(false);
  });
});
