/**
 * The simulator's own staff accounts are hashed cheaply while it loads (two e-signatures per
 * simulated participant) and leave the load with the standard argon2id cost, like every other
 * account: no account in a simulated database keeps the cheap hash, and the password still works.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword, hasStandardHashCost, verifyPassword } from '../src/services/passwords.js';
import { buildSimulatedStudy, FIXTURE_PASSWORD, type SimulatedStudy } from './analysis-fixtures.js';
import { describeEachEngine } from './support/engines.js';

it('a password is hashed at the standard cost unless the simulator’s load cost is asked for, and both verify', async () => {
  const standard = await hashPassword('a-long-password-1');
  expect(hasStandardHashCost(standard)).toBe(true);
  expect(await verifyPassword(standard, 'a-long-password-1')).toBe(true);
  const cheap = await hashPassword('a-long-password-1', 'simulator-load');
  expect(hasStandardHashCost(cheap)).toBe(false);
  expect(await verifyPassword(cheap, 'a-long-password-1')).toBe(true);
});

describeEachEngine('simulation accounts after a load', (engine) => {
  let study: SimulatedStudy;

  beforeAll(async () => {
    study = await buildSimulatedStudy(engine, { participants: 3, seed: 3 });
  }, 120_000);
  afterAll(async () => study.close());

  it('every account has the standard hash, and the simulation’s password still verifies', async () => {
    const db = study.ctx.database.db;
    const users = await db.selectFrom('users').select(['email', 'password_hash']).execute();
    const simulated = users.filter((u) => u.email.endsWith('@sim.local'));
    expect(simulated.length).toBeGreaterThan(0);
    for (const u of users) expect(hasStandardHashCost(u.password_hash), u.email).toBe(true);
    for (const u of simulated) expect(await verifyPassword(u.password_hash, FIXTURE_PASSWORD)).toBe(true);
    const rehashed = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'user.password_rehashed')
      .execute();
    expect(rehashed).toHaveLength(simulated.length);
  });
});
