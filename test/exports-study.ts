/**
 * A study to export: the real demo (`stemjoint demo`: screening, consent, identity, randomization,
 * product chain, injections, eCRF visits and forms, adverse events) completed through the eCRF
 * services, and the identities (CPR, names) to search the files for.
 */
import { randomBytes } from 'node:crypto';
import { STEMJOINT_PROTOCOL } from '../src/core/protocol/index.js';
import type { FormDef } from '../src/core/protocol/definition-types.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { saveFormAtVisit } from '../src/services/ecrf.js';
import { findInstance } from '../src/services/ecrf-store.js';
import { syntheticFormValues, syntheticVisitDate } from '../src/services/exports/synthetic-clinical-data.js';
import { createIdentityVault, keyringFromMasterKey } from '../src/services/identity-vault.js';
import { actorForEmail } from '../src/services/users.js';
import type { Database } from '../src/storage/database.js';
import { runStemjoint } from './support/cli.js';

/** A fresh identity key per test file, passed to every CLI process (no shared keyring file). */
export function identityEnv(): Record<string, string> {
  return { STEMJOINT_IDENTITY_KEY: randomBytes(32).toString('base64') };
}

/** What the study holds that must never appear in an export. */
export interface Secrets {
  cprs: string[];
  names: string[];
}

/**
 * Builds the demo with `participants` participants in `url` and completes its eCRF data; returns
 * the identities to search for.
 */
export async function buildExportStudy(
  url: string,
  database: Database,
  env: Record<string, string>,
  participants: number,
): Promise<Secrets> {
  const demo = await runStemjoint(
    ['demo', '--db', url, '--participants', String(participants), '--password', 'export-test-pw'],
    { env, timeoutMs: 300_000 },
  );
  if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const ctx: ServiceContext = createServiceContext(database, {
    identityVault: createIdentityVault(keyringFromMasterKey(env.STEMJOINT_IDENTITY_KEY!)),
  });
  await enterEcrfData(ctx);
  return readSecrets(ctx);
}

/**
 * Completes what the demo leaves out, through the eCRF services: two pain-diary days per injected
 * participant (the ePRO demo is not there yet) and the donor-specific bead results, entered by the
 * system because no blinded role may enter them. Participants with a locked casebook are left alone.
 */
export async function enterEcrfData(ctx: ServiceContext): Promise<number> {
  const db = ctx.database.db;
  const nurse = await actorForEmail(db, 'coordinator@demo.local');
  const lab = systemActor('test-lab');
  let seed = 20231001;
  const rand = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const injected = await db
    .selectFrom('participants')
    .innerJoin('administrations', 'administrations.participant_id', 'participants.id')
    .leftJoin('casebooks', 'casebooks.participant_id', 'participants.id')
    .select(['participants.id', 'participants.study_id', 'administrations.day0', 'casebooks.locked'])
    .where('administrations.status', '=', 'administered')
    .orderBy('participants.study_id')
    .execute();
  const diary = STEMJOINT_PROTOCOL.forms.find((f) => f.id === 'pain_diary') as FormDef;
  let saved = 0;
  for (const p of injected) {
    if (p.locked === 1) continue;
    for (const visit of ['D1', 'D2']) {
      if (await findInstance(db, p.id, visit, 'pain_diary')) continue;
      const values = syntheticFormValues(
        STEMJOINT_PROTOCOL,
        diary,
        visit,
        syntheticVisitDate(p.day0!, STEMJOINT_PROTOCOL, visit),
        rand,
      );
      await saveFormAtVisit(ctx, nurse, p.id, visit, 'pain_diary', { values, action: 'submit' });
      saved += 1;
    }
    for (const visit of ['BL', 'M3']) {
      const hla = await findInstance(db, p.id, visit, 'hla_antibody');
      if (!hla || !Array.isArray(hla.values.beads)) continue;
      const beads = (hla.values.beads as Record<string, unknown>[]).map((b, i) => ({
        ...b,
        bead_donor_specific: visit === 'M3' && i === 0 && saved % 3 === 0,
      }));
      await saveFormAtVisit(ctx, lab, p.id, visit, 'hla_antibody', {
        values: { ...hla.values, beads },
        action: 'submit',
        reason: 'donor-specific results from the tissue-typing laboratory',
      });
      saved += 1;
    }
  }
  return saved;
}

/** The CPR numbers and names of the identity store. */
export async function readSecrets(ctx: ServiceContext): Promise<Secrets> {
  const rows = await ctx.database.db.selectFrom('identities').select(['key_id', 'ciphertext']).execute();
  const cprs: string[] = [];
  const names: string[] = [];
  for (const r of rows) {
    const identity = ctx.identityVault!.decrypt(r.key_id, r.ciphertext) as Record<string, unknown>;
    for (const [k, v] of Object.entries(identity)) {
      if (typeof v !== 'string' || v.length < 3) continue;
      if (/cpr/i.test(k)) cprs.push(v.replace(/\D/g, ''));
      else if (/name/i.test(k)) names.push(v);
    }
  }
  return { cprs, names };
}

/** Every way a CPR number may be written (with and without the hyphen). */
export function cprSpellings(cpr: string): string[] {
  return [cpr, `${cpr.slice(0, 6)}-${cpr.slice(6)}`];
}
