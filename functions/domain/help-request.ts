import type { Language } from './phrases.ts';

// Apart from phrases.ts: the help-first view uses only this, and the functions that build it need
// not carry (nor compile at start) the phrase lists that read new mail.

/**
 * What a request for help names: a review, an intro, advice, time, a favour. An ask that names none
 * of these ("Perfect, please book it.") is a plain instruction: inside an exchange the other side
 * has already answered, it asks no favour (help-first.ts). A transparent list per language.
 */
export const helpRequestWords: Record<Language, readonly string[]> = {
  en: [
    'review',
    'look (at|over|into)',
    'take a look',
    'have a look',
    'feedback',
    'thoughts',
    'input',
    'advice',
    'advise',
    'opinion',
    'eyes',
    'brain',
    'intro',
    'introduce',
    'introduction',
    'connect',
    'put (me|us) in touch',
    'recommend',
    'recommendation',
    'refer',
    'referral',
    'reference',
    'vouch',
    'help',
    '(?<!por )favou?r',
    'time',
    'call',
    'chat',
    'coffee',
    'meet',
    'proofread',
    'read',
    'mentor',
    'lend',
    'borrow',
    'anyone|anybody|someone|somebody',
    'a word',
  ],
  de: [
    'vorstellen',
    'vorstellung',
    'verbinden',
    'kontakt',
    'empfehlen',
    'empfehlung',
    'hilfe',
    'helfen',
    'rat',
    'ratschlag',
    'feedback',
    'meinung',
    'zeit',
    'durchsehen',
    'durchlesen',
    'anschauen',
    'gefallen',
    'eine bitte',
    'jemanden',
    'leihen',
  ],
  fr: [
    'présenter|presenter',
    'mettre en (relation|contact)',
    'aide|aider',
    'conseils?',
    'avis',
    'relire|relisez|relis',
    'recommander',
    'service',
    'coup de main',
    'temps',
    'café|cafe',
    "quelqu'un",
    'prêter|preter',
  ],
  es: [
    'presentar|preséntame|presentame',
    'contacto',
    'ayuda|ayudar|ayúdame|ayudame',
    'consejos?',
    'opinión|opinion',
    'revisar|revisa|revise',
    'recomendar|recomendación|recomendacion',
    'un favor',
    'tiempo',
    'café|cafe',
    'alguien',
    'prestar|prestarme',
  ],
};

const letter = String.raw`[\p{L}\p{N}]`;
const helpRequest = Object.values(helpRequestWords).map(
  (words) => new RegExp(`(?<!${letter})(?:${words.join('|')})(?!${letter})`, 'iu'),
);

/** Whether the words of an ask name help (a review, an intro, advice, time, a favour). */
export function asksForHelp(sentence: string): boolean {
  return helpRequest.some((pattern) => pattern.test(sentence));
}
