/**
 * Export downloads over real HTTP on both engines: data managers, statisticians and the DSMB stream
 * the files with a content-disposition name (ODM as XML that validates against the XSD, the other
 * formats as ZIP archives whose entries match their CRC), blinded unless asked otherwise; by-arm
 * exports are refused to blinded roles with a JSON error before anything is streamed; other roles
 * get 403; every download is in the audit trail with the hash of the bytes sent.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initAllocationList, randomizeParticipant } from '../src/services/randomization.js';
import { systemActor } from '../src/services/context.js';
import { actorForEmail } from '../src/services/users.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import { odmSchemaErrors } from './exports-odm-xsd.js';
import { readZip } from './exports-zip-reader.js';
import { createAccounts, enrolParticipants, loginAs } from './api-randomization-setup.js';

describeEachEngine('export downloads', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(engine);
    await createAccounts(server.ctx);
    const people = await enrolParticipants(server.ctx, 4);
    await initAllocationList(server.ctx, systemActor('test'), { parameters: { per_stratum: 10 } });
    const nurse = await actorForEmail(server.ctx.database.db, 'nurse@t.local');
    for (const p of people) await randomizeParticipant(server.ctx, nurse, p.id);
  }, 180_000);
  afterAll(async () => server.close());

  const download = async (
    email: string,
    path: string,
  ): Promise<{ status: number; type: string | null; disposition: string | null; body: Buffer }> => {
    const client = await loginAs(server.url, email);
    const res = await fetch(`${server.url}${path}`, { headers: { cookie: client.cookie ?? '' } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  };

  it('streams a blinded ODM file that validates, named as an attachment and audited with its hash', async () => {
    const r = await download('dm@t.local', '/api/v1/exports/odm');
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/xml');
    expect(r.disposition).toMatch(/^attachment; filename="stemjoint-odm-\d{8}\d{6}\.xml"$/);
    const xml = r.body.toString('utf8');
    expect(await odmSchemaErrors(xml)).toEqual([]);
    expect(xml.match(/<SubjectData /g)).toHaveLength(4);
    expect(xml).not.toMatch(/ADMSC|SALINE/);
    const sha = createHash('sha256').update(r.body).digest('hex');
    const audit = await server.ctx.database.db
      .selectFrom('audit_log')
      .select(['after_json', 'actor_label'])
      .where('action', '=', 'export.created')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.actor_label).toBe('dm@t.local');
    expect((JSON.parse(audit.after_json!) as { sha256: string }).sha256).toBe(sha);
  });

  it('streams the multi-file formats as ZIP archives', async () => {
    for (const [path, expected] of [
      [
        '/api/v1/exports/csv',
        ['participants.csv', 'data-dictionary.csv', 'data-dictionary.html', 'manifest.json', 'long/koos.csv'],
      ],
      ['/api/v1/exports/sdtm?format=json', ['dm.json', 'qs.json', 'ex.json', 'datasets.csv', 'manifest.json']],
      ['/api/v1/exports/sdtm?format=xpt', ['dm.xpt', 'qs.xpt', 'define.xml', 'manifest.json']],
      ['/api/v1/exports/fhir', ['study.json', 'participants/SJ-001.json', 'manifest.json']],
    ] as const) {
      const r = await download('stat@t.local', path);
      expect(r.status, path).toBe(200);
      expect(r.type).toBe('application/zip');
      expect(r.disposition).toMatch(/\.zip"$/);
      const entries = readZip(r.body);
      for (const name of expected) expect([...entries.keys()], `${path} ${name}`).toContain(name);
      for (const [name, data] of entries) expect(data.toString('utf8'), `${path} ${name}`).not.toMatch(/ADMSC|SALINE/);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
        files: { path: string; sha256: string }[];
      };
      for (const f of manifest.files) {
        expect(createHash('sha256').update(entries.get(f.path)!).digest('hex'), f.path).toBe(f.sha256);
      }
    }
  });

  it('gives by-arm exports only to roles that see the allocation', async () => {
    const refused = await download('dm@t.local', '/api/v1/exports/sdtm?unblinded=true');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString('utf8'))).toMatchObject({ error: { code: 'forbidden' } });
    const stat = await download('stat@t.local', '/api/v1/exports/csv?unblinded=true');
    expect(stat.status).toBe(403);
    const dsmb = await download('dsmb@t.local', '/api/v1/exports/sdtm?unblinded=true');
    expect(dsmb.status).toBe(200);
    expect(readZip(dsmb.body).get('dm.csv')!.toString('utf8')).toMatch(/,(ADMSC|SALINE),/);
    for (const email of ['mon@t.local', 'inv@t.local', 'nurse@t.local', 'admin2@t.local', 'lab@t.local']) {
      expect((await download(email, '/api/v1/exports/odm')).status, email).toBe(403);
    }
    const bad = await download('dm@t.local', '/api/v1/exports/sdtm?format=sas7bdat');
    expect(bad.status).toBe(400);
  });
});
