/**
 * The site-installed KOOS wording: the shipped template matches the protocol, the loader reads a
 * filled-in file from STEMJOINT_KOOS_TRANSLATION_FILE, the participant sees that wording (falling
 * back to the neutral label for empty strings), and scores do not depend on it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildKoosTranslationTemplate } from '../src/core/epro/koos-translation.js';
import { deriveFormValues } from '../src/core/ecrf/derive-form-values.js';
import { uniformKoos } from '../src/core/ecrf/test-fixtures.js';
import { STEMJOINT_PROTOCOL } from '../src/core/protocol/stemjoint.js';
import { loadKoosTranslation } from '../src/services/epro-koos-wording.js';
import { participantQuestions } from '../src/services/epro-questionnaires.js';

describe('KOOS translation file', () => {
  afterEach(() => {
    delete process.env.STEMJOINT_KOOS_TRANSLATION_FILE;
  });

  it('ships a template with every key of the protocol and empty strings', () => {
    const shipped = JSON.parse(readFileSync('config/koos-translation.template.json', 'utf8')) as unknown;
    expect(shipped).toEqual(buildKoosTranslationTemplate(STEMJOINT_PROTOCOL));
  });

  it('shows the installed wording to the participant, the neutral label where a string is empty, and scores the same', () => {
    const t = buildKoosTranslationTemplate(STEMJOINT_PROTOCOL);
    t.version = 'test wording';
    t.languages.da.items['koos.S1'] = 'TEST-TEKST S1';
    for (const scale of Object.keys(t.languages.da.anchors)) {
      t.languages.da.anchors[scale] = ['A0', 'A1', 'A2', 'A3', 'A4'];
    }
    t.languages.da.sections.symptoms = 'TEST-SEKTION';
    const file = join(mkdtempSync(join(tmpdir(), 'sj-koos-')), 'koos.json');
    writeFileSync(file, JSON.stringify(t));
    const neutral = participantQuestions(STEMJOINT_PROTOCOL, 'koos', 'M3', 'da');
    process.env.STEMJOINT_KOOS_TRANSLATION_FILE = file;
    expect(loadKoosTranslation()?.version).toBe('test wording');
    const installed = participantQuestions(STEMJOINT_PROTOCOL, 'koos', 'M3', 'da');
    const s1 = installed[0]!.questions[0]!;
    expect(installed[0]!.title).toBe('TEST-SEKTION');
    expect(s1.label).toBe('TEST-TEKST S1');
    expect(s1.options?.map((o) => o.label)).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    expect(s1.options?.map((o) => o.value)).toEqual([0, 1, 2, 3, 4]);
    // Empty strings fall back to our own neutral labels.
    expect(installed[0]!.questions[1]!.label).toBe(neutral[0]!.questions[1]!.label);
    // English is untouched.
    expect(participantQuestions(STEMJOINT_PROTOCOL, 'koos', 'M3', 'en')[0]!.questions[0]!.label).not.toBe(
      'TEST-TEKST S1',
    );
    const form = STEMJOINT_PROTOCOL.forms.find((f) => f.id === 'koos')!;
    expect(deriveFormValues(form, uniformKoos(2), { visitCode: 'M3' }).values.koos_pain).toBe(50);
  });

  it('refuses a broken file with a clear error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sj-koos-')), 'broken.json');
    writeFileSync(file, JSON.stringify({ instrument: 'KOOS', version: '', languages: {} }));
    process.env.STEMJOINT_KOOS_TRANSLATION_FILE = file;
    expect(() => loadKoosTranslation()).toThrow(/KOOS translation file/);
  });
});
