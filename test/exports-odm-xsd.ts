/** Validates ODM files against the official ODM 1.3.2 XSD shipped in test/fixtures/odm-1.3.2 (xmllint-wasm). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { REPO_ROOT } from './support/cli.js';

const DIR = join(REPO_ROOT, 'test/fixtures/odm-1.3.2');
const file = (fileName: string) => ({ fileName, contents: readFileSync(join(DIR, fileName), 'utf8') });

/** The XSD errors of an ODM document (empty when it validates). */
export async function odmSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'export.xml', contents: xml }],
    schema: [file('ODM1-3-2.xsd')],
    preload: [file('ODM1-3-2-foundation.xsd'), file('xml.xsd'), file('xlink.xsd'), file('xmldsig-core-schema.xsd')],
    maxMemoryPages: 32768,
  });
  return result.valid ? [] : result.errors.map((e) => e.message ?? e.rawMessage);
}
