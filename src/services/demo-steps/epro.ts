/**
 * Demo step: gives participants diaries (some complete, some with gaps) and KOOS at due visits.
 *
 * The most recently injected participants get ePRO access (a code handed over in person, Danish),
 * sign in through the real login, and fill in their diary day by day: each entry is made with the
 * service clock set to that evening (or, now and then, the next morning — a late entry), so the
 * eCRF records the entry time, the diary day and the late flag as they would have been. Some
 * participants are diligent, some leave gaps. KOOS and NRS still due in an open visit window are
 * answered by the participant now. Only service calls; nothing is inserted directly.
 */
import { DIARY_LAST_DAY, diaryDayWindow } from '../../core/epro/diary-days.js';
import { copenhagenDateOf } from '../../core/epro/copenhagen-clock.js';
import { KOOS_ITEM_IDS } from '../../core/scoring/koos-items.js';
import type { ServiceContext } from '../context.js';
import { resolveDay0 } from '../ecrf-visits.js';
import { enrolParticipantAccess, loginParticipant, resolveParticipantSession } from '../epro-access.js';
import { listEproCompliance } from '../epro-compliance.js';
import { listOpenQuestionnaires, saveQuestionnaire } from '../epro-questionnaires.js';
import type { DemoEnv } from './demo-env.js';

/** How many participants use ePRO in the demo (the most recent injections), to keep the demo quick. */
const EPRO_PARTICIPANTS = 12;

const at = (ctx: ServiceContext, instant: Date): ServiceContext => ({ ...ctx, now: () => new Date(instant.getTime()) });

export async function demoEpro(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx, rng } = env;
  const nurse = await env.actor('coordinator@demo.local');
  const withDay0: { id: string; studyId: string; day0: string }[] = [];
  for (const p of env.participants) {
    if (p.status === 'withdrawn') continue;
    const { day0, source } = await resolveDay0(ctx.database.db, p.id);
    // A casebook the visits step locked or signed takes no more data (that is its point).
    const casebook = await ctx.database.db
      .selectFrom('casebooks')
      .select(['locked', 'signed_at'])
      .where('participant_id', '=', p.id)
      .executeTakeFirst();
    if (casebook && (casebook.locked === 1 || casebook.signed_at !== null)) continue;
    if (day0 !== null && source === 'injection') withDay0.push({ id: p.id, studyId: p.studyId, day0 });
  }
  withDay0.sort((a, b) => (a.day0 < b.day0 ? 1 : a.day0 > b.day0 ? -1 : 0));
  const chosen = withDay0.slice(0, EPRO_PARTICIPANTS);
  const counts = { participants: 0, diaryEntries: 0, lateEntries: 0, gaps: 0, koos: 0, nrs: 0, refused: 0 };
  const now = ctx.now();
  for (const [index, p] of chosen.entries()) {
    const access = await enrolParticipantAccess(ctx, nurse, p.id, { channel: 'in_person', language: 'da' });
    const handle = new URL(access.loginPath, 'http://demo').searchParams.get('k') ?? '';
    const session = await loginParticipant(ctx, {
      handle,
      code: access.code ?? '',
      clientAddress: 'demo',
      language: 'da',
    });
    const principal = await resolveParticipantSession(ctx, {
      sessionSecret: session.sessionSecret,
      write: true,
      csrfToken: session.csrfToken,
      fallbackLanguage: 'da',
    });
    counts.participants += 1;
    // A third are diligent; the others skip some days, a few give up after the second week.
    const diligent = index % 3 === 0;
    const stopsAfter = !diligent && rng.chance(0.25) ? rng.int(10, 20) : DIARY_LAST_DAY;
    let pain = rng.int(3, 7);
    for (let day = 1; day <= DIARY_LAST_DAY; day++) {
      const w = diaryDayWindow(p.day0, day);
      if (w.opensAt.getTime() > now.getTime()) break;
      if (day > stopsAfter || (!diligent && rng.chance(0.15))) {
        counts.gaps += 1;
        continue;
      }
      const late = rng.chance(0.08);
      const minutes = late ? 24 * 60 - 18 * 60 + rng.int(8 * 60, 11 * 60) : rng.int(5, 5 * 60);
      const instant = new Date(Math.min(w.opensAt.getTime() + minutes * 60_000, now.getTime()));
      pain = Math.max(0, Math.min(10, pain + rng.int(-1, 1) - (day % 5 === 0 ? 1 : 0)));
      const swelling = pain >= 7 ? 'moderate' : pain >= 4 ? rng.pick(['none', 'mild']) : 'none';
      const analgesic = pain >= 5 && rng.chance(0.6);
      const values: Record<string, unknown> = {
        nrs_worst_24h: pain,
        nrs_average_24h: Math.max(0, pain - rng.int(1, 2)),
        knee_swelling: swelling,
        analgesic_taken: analgesic,
        other_symptoms: rng.chance(0.03) ? 'Varme i knæet om aftenen' : null,
        ...(analgesic
          ? { analgesics: [{ analgesic_drug: 'Paracetamol', analgesic_dose_mg: 1000, analgesic_count: rng.int(1, 4) }] }
          : {}),
      };
      try {
        const r = await saveQuestionnaire(at(ctx, instant), principal, w.visitCode, 'pain_diary', {
          values,
          action: 'submit',
        });
        counts.diaryEntries += 1;
        if (r.late) counts.lateEntries += 1;
      } catch {
        counts.refused += 1;
      }
    }
    // Visit questionnaires still due in an open window: answered by the participant now.
    for (const q of await listOpenQuestionnaires(ctx, principal)) {
      if (q.kind !== 'visit') continue;
      const values =
        q.formId === 'koos'
          ? Object.fromEntries(
              KOOS_ITEM_IDS.map((id) => [id, Math.max(0, Math.min(4, Math.round(rng.normal(1.5, 0.8))))]),
            )
          : { nrs_pain: rng.int(1, 6) };
      await saveQuestionnaire(ctx, principal, q.visitCode, q.formId, { values, action: 'submit' });
      if (q.formId === 'koos') counts.koos += 1;
      else counts.nrs += 1;
    }
  }
  const compliance = (await listEproCompliance(ctx, nurse)).filter((c) => c.eproEnrolled);
  return {
    ...counts,
    today: copenhagenDateOf(now),
    compliance: compliance.map((c) => ({
      studyId: c.studyId,
      completed: c.compliance.completed,
      of: c.compliance.of,
      late: c.compliance.late,
      missed: c.compliance.missed,
    })),
  };
}
