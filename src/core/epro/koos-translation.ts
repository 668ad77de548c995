/**
 * The site-installed KOOS wording. The validated KOOS text is licensed (spec §6): the product ships
 * neutral labels of its own in the protocol, and a site that holds the licence installs the
 * validated wording as a JSON file (see docs/EPRO.md). This module defines the file's format,
 * checks it, and builds the empty template. Scoring reads the stored answer codes 0–4 only, so the
 * wording can never change a score.
 */
import { z } from 'zod';
import type { FormDef, ProtocolDefinition } from '../protocol/definition-types.js';
import { PARTICIPANT_LANGUAGES, type ParticipantLanguage } from './participant-messages.js';

const LanguageText = z
  .object({
    title: z.string().max(200),
    instructions: z.string().max(4000),
    /** Subscale (item group) headings by group id. */
    sections: z.record(z.string(), z.string().max(1000)),
    /** Item wording by licensed text key (`koos.S1` …). */
    items: z.record(z.string().regex(/^koos\.[A-Z]+\d+$/), z.string().max(1000)),
    /** Answer anchors per answer scale (`koos_a` …): exactly five, for codes 0–4. */
    anchors: z.record(z.string().regex(/^koos_[a-e]$/), z.array(z.string().max(200)).length(5)),
  })
  .strict();

/** The translation file. Empty strings mean "not installed": the neutral label is shown. */
export const KoosTranslationSchema = z
  .object({
    instrument: z.literal('KOOS'),
    /** The licensed version, e.g. "KOOS Danish 2012" (free text, shown nowhere, recorded in docs). */
    version: z.string().max(200),
    languages: z.object({ da: LanguageText, en: LanguageText }).strict(),
  })
  .strict();

/** A parsed translation file. */
export type KoosTranslation = z.infer<typeof KoosTranslationSchema>;

/** Parses and checks a translation file's JSON; throws an Error naming the problems. */
export function parseKoosTranslation(json: unknown, koosForm?: FormDef): KoosTranslation {
  const parsed = KoosTranslationSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `KOOS translation file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  if (koosForm !== undefined) {
    const keys = new Set(
      koosForm.itemGroups.flatMap((g) => g.items.flatMap((i) => (i.licensedTextKey ? [i.licensedTextKey] : []))),
    );
    for (const lang of PARTICIPANT_LANGUAGES) {
      const unknown = Object.keys(parsed.data.languages[lang].items).filter((k) => !keys.has(k));
      if (unknown.length > 0) {
        throw new Error(`KOOS translation file: languages.${lang}.items has unknown keys ${unknown.join(', ')}`);
      }
    }
  }
  return parsed.data;
}

/** The empty template for a protocol's KOOS form: every key present, every string empty. */
export function buildKoosTranslationTemplate(protocol: ProtocolDefinition): KoosTranslation {
  const form = protocol.forms.find((f) => f.id === 'koos');
  if (form === undefined) throw new Error('the protocol has no KOOS form');
  const items: Record<string, string> = {};
  const sections: Record<string, string> = {};
  const scales = new Set<string>();
  for (const g of form.itemGroups) {
    let hasLicensed = false;
    for (const i of g.items) {
      if (i.licensedTextKey === undefined) continue;
      hasLicensed = true;
      items[i.licensedTextKey] = '';
      if (i.type === 'code') scales.add(i.codeList);
    }
    if (hasLicensed) sections[g.id] = '';
  }
  const anchors = Object.fromEntries([...scales].sort().map((s) => [s, ['', '', '', '', '']]));
  const language = { title: '', instructions: '', sections, items, anchors };
  return {
    instrument: 'KOOS',
    version: '',
    languages: { da: structuredClone(language), en: structuredClone(language) },
  };
}

/** The installed wording of one text, or null (not installed / empty). */
export function koosText(
  translation: KoosTranslation | null,
  language: ParticipantLanguage,
  part: 'items' | 'sections',
  key: string,
): string | null {
  const text = translation?.languages[language][part][key];
  return text !== undefined && text.trim() !== '' ? text : null;
}

/** The installed anchor wording of one answer code of a scale, or null. */
export function koosAnchor(
  translation: KoosTranslation | null,
  language: ParticipantLanguage,
  scale: string,
  code: number,
): string | null {
  const text = translation?.languages[language].anchors[scale]?.[code];
  return text !== undefined && text.trim() !== '' ? text : null;
}
