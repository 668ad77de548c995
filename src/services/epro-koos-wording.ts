/**
 * Loads the site-installed KOOS wording (env `STEMJOINT_KOOS_TRANSLATION_FILE`, format in
 * docs/EPRO.md and `config/koos-translation.template.json`). Without the file the neutral labels
 * of the protocol are shown. The file is read once per path and checked against the protocol's
 * KOOS items; a broken file is an error at the first questionnaire, never a silent fallback.
 */
import { readFileSync } from 'node:fs';
import { parseKoosTranslation, type KoosTranslation } from '../core/epro/koos-translation.js';
import { currentProtocol } from './ecrf-store.js';

const cache = new Map<string, KoosTranslation>();

/** The installed translation, or null when none is configured. */
export function loadKoosTranslation(env: NodeJS.ProcessEnv = process.env): KoosTranslation | null {
  const path = env.STEMJOINT_KOOS_TRANSLATION_FILE;
  if (!path) return null;
  let t = cache.get(path);
  if (t === undefined) {
    const form = currentProtocol().forms.find((f) => f.id === 'koos');
    t = parseKoosTranslation(JSON.parse(readFileSync(path, 'utf8')) as unknown, form);
    cache.set(path, t);
  }
  return t;
}
