import { describe, expect, it } from 'vitest';
import { normaliseSubject } from '#domain/thread-subject.ts';

describe('normaliseSubject', () => {
  it.each([
    ['Re: Plans for April?', 'plans for april?'],
    ['RE: AW: Fwd: Plans  for April?', 'plans for april?'],
    ['WG: SV: TR: RV: Plans for April?', 'plans for april?'],
    ['Re[2]: Plans for April?', 'plans for april?'],
    ['Automatic reply: Plans for April?', 'plans for april?'],
    ['Out of Office: Re: Plans for April?', 'plans for april?'],
    ['Abwesend: Plans for April?', 'plans for april?'],
    ['Réponse automatique : Plans for April?', 'plans for april?'],
    ['[team] Re: Plans for April?', 'plans for april?'],
    ['Regarding the plans', 'regarding the plans'],
    ['Research: results', 'research: results'],
  ])('%s → %s', (subject, expected) => {
    expect(normaliseSubject(subject)).toBe(expected);
  });
});
