/**
 * The password policy: length, the offline blocklist of common passwords, words and keyboard
 * patterns (with the usual decorations: capitals, digits, symbols, look-alike characters), and the
 * account's own e-mail name. Refused passwords get a field-level 400 and change nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKLIST } from '../src/services/password-blocklist.js';
import {
  checkPasswordPolicy,
  COMMON_PASSWORD_MESSAGE,
  EMAIL_IN_PASSWORD_MESSAGE,
  generatePassword,
  isCommonPassword,
} from '../src/services/passwords.js';
import { describeEachEngine } from './support/engines.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ApiClient, startTestServer, type TestServer } from './support/server.js';

interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] };
}

describe('the common-password check', () => {
  it.each([
    'Password1234!',
    'P@ssw0rd2024',
    'p4ssw0rd-2024!',
    'qwertyuiop12',
    '1qaz2wsx3edc',
    'QWERTYUIOPÅ',
    'asdfghjkl;123',
    'Sommer2024!!',
    'Velkommen123!',
    'adgangskode12',
    'Kodeord-2025',
    'iloveyou1234',
    'Jegelskerdig1',
    'Administrator1',
    'Stemjoint2026!',
    'Welcome12345',
    'passwordpassword',
    'abcabcabcabc',
    '123456789012',
    '111122223333',
    '0987654321098',
    'monkey-123456',
    'Michael19851985',
    'Brøndby-1964!',
    'dragon!!!!!!!!',
  ])('refuses %s', (pw) => {
    expect(isCommonPassword(pw)).toBe(true);
    expect(checkPasswordPolicy(pw, 12).map((i) => i.message)).toContain(COMMON_PASSWORD_MESSAGE);
  });

  it.each([
    // The passwords the rest of the test suite and the demo use must stay valid.
    'admin-password-123',
    'matrix-password-1',
    'hostile-password-1',
    'nurse-password-1',
    'test-password-1234',
    'crash-test-password',
    'locked-user-password-1',
    'lockme-password-1',
    'demo-password-1',
    'stemjoint-demo',
    'gone-password-12',
    'my-own-new-password',
    'knee cartilage 2026',
    'safety-password-123',
    'monitor-pw-1234',
    'investigator-pw-123',
    'a-long-password-1',
    'second-factor-pw-42',
    // Passphrases and random strings.
    'correct horse battery staple',
    'Vinter i Aarhus er lang og mørk',
    'x7#Kq9!mPz2wAb',
    'tF4-gh8q-LL0p-ww21',
  ])('accepts %s', (pw) => {
    expect(checkPasswordPolicy(pw, 12)).toEqual([]);
  });

  it('never refuses the generated one-time passwords (property)', () => {
    for (let i = 0; i < 2000; i++) expect(checkPasswordPolicy(generatePassword(), 12)).toEqual([]);
  });

  it('refuses every blocklisted word however it is decorated (property)', () => {
    const words = [...BLOCKLIST].filter((w) => /^\p{L}{3,}$/u.test(w));
    expect(words.length).toBeGreaterThan(700);
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.constantFrom('', '1', '123', '2024', '!', '2024!', '#1'),
        fc.constantFrom('', '1', '!'),
        fc.boolean(),
        (word, suffix, prefix, capital) => {
          const core = capital ? word[0]!.toUpperCase() + word.slice(1) : word;
          return isCommonPassword(`${prefix}${core}${suffix}`);
        },
      ),
      { numRuns: 3000, seed: 12 },
    );
  });

  it('refuses the e-mail name in the password, with a field detail', () => {
    expect(checkPasswordPolicy('karen.jensen-2026!', 12, 'newPassword', { email: 'karen.jensen@hospital.dk' })).toEqual(
      [{ path: 'newPassword', message: EMAIL_IN_PASSWORD_MESSAGE }],
    );
    expect(
      checkPasswordPolicy('my name is JENSEN, ok?', 12, 'newPassword', { email: 'karen.jensen@hospital.dk' }).map(
        (i) => i.message,
      ),
    ).toEqual([EMAIL_IN_PASSWORD_MESSAGE]);
    expect(checkPasswordPolicy('kj-is-a-fine-name', 12, 'newPassword', { email: 'kj@hospital.dk' })).toEqual([]);
  });
});

describeEachEngine('password policy over HTTP', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  beforeAll(async () => {
    server = await startTestServer(engine);
    admin = new ApiClient(server.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => server.close());

  const auditHead = async (): Promise<number> =>
    Number(
      (await server.ctx.database.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq,
    );

  it('refuses a common password for a new account with a field-level 400 and writes nothing', async () => {
    const before = await auditHead();
    const r = await admin.post<ErrorBody>('/api/v1/users', {
      email: 'pia@test.local',
      displayName: 'Pia',
      password: 'Summer2024!!',
      grants: [{ role: 'coordinator', siteId: null }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: 'password', message: COMMON_PASSWORD_MESSAGE }]);
    expect(await auditHead()).toBe(before);
  });

  it('keeps sign-in names unique (Part 11 §11.100(a), §11.300(a)): the same e-mail in any case is refused', async () => {
    const first = await admin.post('/api/v1/users', {
      email: 'unique.person@test.local',
      displayName: 'One',
      password: 'unique-person-pw-1',
      grants: [{ role: 'monitor', siteId: null }],
    });
    expect(first.status).toBe(201);
    const before = await auditHead();
    const again = await admin.post<ErrorBody>('/api/v1/users', {
      email: ' Unique.Person@TEST.local ',
      displayName: 'Two',
      password: 'unique-person-pw-2',
      grants: [{ role: 'monitor', siteId: null }],
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ path: 'email', message: 'already in use' }]);
    expect(await auditHead()).toBe(before);
  });

  it('refuses a common password or the e-mail name when users choose their own', async () => {
    const created = await admin.post<{ user: { id: string } }>('/api/v1/users', {
      email: 'morten.hansen@test.local',
      displayName: 'Morten',
      password: 'first-choice-pw-9',
      grants: [{ role: 'monitor', siteId: null }],
    });
    expect(created.status).toBe(201);
    const c = new ApiClient(server.url);
    await c.login('morten.hansen@test.local', 'first-choice-pw-9');
    const before = await auditHead();
    const common = await c.post<ErrorBody>('/api/v1/auth/password', {
      currentPassword: 'first-choice-pw-9',
      newPassword: 'Qwerty123456!',
    });
    expect(common.status).toBe(400);
    expect(common.body.error.details).toEqual([{ path: 'newPassword', message: COMMON_PASSWORD_MESSAGE }]);
    const mine = await c.post<ErrorBody>('/api/v1/auth/password', {
      currentPassword: 'first-choice-pw-9',
      newPassword: 'hansen-rides-bikes-7',
    });
    expect(mine.status).toBe(400);
    expect(mine.body.error.details).toEqual([{ path: 'newPassword', message: EMAIL_IN_PASSWORD_MESSAGE }]);
    expect(await auditHead()).toBe(before);
    expect(
      (
        await c.post('/api/v1/auth/password', {
          currentPassword: 'first-choice-pw-9',
          newPassword: 'rides bikes to Skejby 7',
        })
      ).status,
    ).toBe(200);
  });
});
