/** The fixture copies under test/fixtures/golden must match the shared originals (when present). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenPath } from '../../test/fixtures/golden/golden-fixtures.js';

const SHARED = '/work/shared/golden';

describe('golden fixtures', () => {
  for (const file of ['stemjoint_sim.csv', 'golden.json', 'fev_data.csv']) {
    it.skipIf(!existsSync(join(SHARED, file)))(`${file} is an exact copy of the shared golden file`, () => {
      expect(readFileSync(goldenPath(file), 'utf8')).toBe(readFileSync(join(SHARED, file), 'utf8'));
    });
  }
});
