/**
 * Reply, forward and auto-reply prefixes of many clients and languages (Re, Fwd, AW, WG, SV, TR,
 * RV, "Automatic reply", "Out of Office", "Abwesend", "Réponse automatique", …) and list tags.
 */
const prefix =
  /^\s*(?:(?:re|fwd?|aw|wg|sv|vs|tr|rv|enc|antw|odp|res|automatic reply|auto[- ]?reply|out of (?:the )?office|abwesend|automatische antwort|r[ée]ponse automatique|respuesta autom[aá]tica)(?:\[\d+\])?\s*:\s*|\[[^\]]*\]\s*)/i;

/** A subject without its reply/forward prefixes and spacing, for matching a thread by subject. */
export function normaliseSubject(subject: string): string {
  let rest = subject;
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(prefix, '');
  }
  return rest.replace(/\s+/g, ' ').trim().toLowerCase();
}
