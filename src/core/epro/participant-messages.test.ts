import { describe, expect, it } from 'vitest';
import { languageFromAcceptLanguage, participantFieldMessage, participantMessage } from './participant-messages.js';
import { buildKoosTranslationTemplate, parseKoosTranslation } from './koos-translation.js';
import { STEMJOINT_PROTOCOL } from '../protocol/stemjoint.js';

describe('participant messages', () => {
  it('picks Danish or English from Accept-Language by quality', () => {
    expect(languageFromAcceptLanguage('da-DK,da;q=0.9,en;q=0.8')).toBe('da');
    expect(languageFromAcceptLanguage('en-GB,en;q=0.9')).toBe('en');
    expect(languageFromAcceptLanguage('de-DE,en;q=0.5,da;q=0.7')).toBe('da');
    expect(languageFromAcceptLanguage('fr')).toBeNull();
    expect(languageFromAcceptLanguage(undefined)).toBeNull();
  });

  it('rewords field errors in the participant language', () => {
    expect(participantFieldMessage('hard_range', 'da', { range: { hardMin: 0, hardMax: 10 } })).toBe(
      'Vælg et tal mellem 0 og 10.',
    );
    expect(participantFieldMessage('hard_range', 'en', { range: { hardMin: 0, hardMax: 10 } })).toBe(
      'Choose a number between 0 and 10.',
    );
    expect(participantFieldMessage('required', 'da')).toBe('Besvar venligst dette spørgsmål.');
    expect(participantMessage('window_closed', 'en')).toMatch(/deadline/);
  });
});

describe('KOOS translation file', () => {
  it('has a template with an empty string for each of the 42 items and five anchors per scale', () => {
    const t = buildKoosTranslationTemplate(STEMJOINT_PROTOCOL);
    expect(Object.keys(t.languages.da.items)).toHaveLength(42);
    expect(t.languages.da.items['koos.S1']).toBe('');
    expect(Object.keys(t.languages.en.anchors).sort()).toEqual(
      ['koos_a', 'koos_b', 'koos_c', 'koos_d', 'koos_e'].filter((k) => k in t.languages.en.anchors),
    );
    for (const anchors of Object.values(t.languages.da.anchors)) expect(anchors).toEqual(['', '', '', '', '']);
    expect(parseKoosTranslation(t)).toEqual(t);
  });

  it('refuses unknown item keys and wrong anchor counts', () => {
    const form = STEMJOINT_PROTOCOL.forms.find((f) => f.id === 'koos');
    const t = buildKoosTranslationTemplate(STEMJOINT_PROTOCOL);
    const bad = structuredClone(t);
    bad.languages.da.items['koos.X9'] = 'x';
    expect(() => parseKoosTranslation(bad, form)).toThrow(/unknown keys koos.X9/);
    const bad2 = structuredClone(t) as unknown as { languages: { en: { anchors: Record<string, string[]> } } };
    bad2.languages.en.anchors.koos_a = ['a'];
    expect(() => parseKoosTranslation(bad2)).toThrow(/anchors/);
  });
});
