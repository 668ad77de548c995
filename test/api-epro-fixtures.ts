/**
 * Helpers of the ePRO API tests: a participant browser (cookie `sj_participant` + CSRF header),
 * the server clock set to a Copenhagen wall-clock time, and a participant with a Day 0.
 */
import { expect } from 'vitest';
import { copenhagenDateOf, copenhagenInstant } from '../src/core/epro/copenhagen-clock.js';
import { addCalendarDays } from '../src/core/schedule/plain-date.js';
import type { ApiResponse, TestServer } from './support/server.js';
import { enrolParticipant, type Team } from './api-ecrf-fixtures.js';

/** A participant's browser: keeps the participant cookie and sends the CSRF token on writes. */
export class ParticipantClient {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(
    readonly baseUrl: string,
    readonly acceptLanguage = 'da-DK,da;q=0.9',
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { 'accept-language': this.acceptLanguage, ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && h['x-csrf-token'] === undefined) h['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: h,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    const m = setCookie ? /sj_participant=([^;]*)/.exec(setCookie) : null;
    if (m) this.cookie = m[1] ? `sj_participant=${m[1]}` : null;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(
    handle: string,
    secret: { code?: string; pin?: string },
  ): Promise<ApiResponse<{ csrfToken: string; language: string; hasPin: boolean }>> {
    const r = await this.request<{ csrfToken: string; language: string; hasPin: boolean }>(
      'POST',
      '/api/v1/participant/login',
      { handle, ...secret },
    );
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

/** The participant's handle from the login path `/p/?k=…`. */
export const handleOf = (loginPath: string): string => new URL(loginPath, 'http://x').searchParams.get('k') ?? '';

/** Sets the server clock to a Copenhagen wall-clock time today (the real date) and returns that date. */
export function setCopenhagenClock(server: TestServer, time: string, dayOffset = 0): string {
  const today = addCalendarDays(copenhagenDateOf(new Date()), dayOffset);
  const target = copenhagenInstant(today, time).getTime();
  server.advanceClock(target - server.ctx.now().getTime());
  return today;
}

/** Enrols a participant with Day 0 = `day0` (the baseline visit date) and a baseline NRS. */
export async function participantWithDay0(
  team: Team,
  day0: string,
  baselineNrs = 5,
): Promise<{ id: string; studyId: string }> {
  const p = await enrolParticipant(team);
  const bl = await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/BL`, { date: day0 });
  expect(bl.status, JSON.stringify(bl.body)).toBe(200);
  const nrs = await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/BL/forms/nrs`, {
    values: { nrs_pain: baselineNrs, nrs_recall: 'last_7d', nrs_aspect: 'average' },
    action: 'submit',
  });
  expect(nrs.status, JSON.stringify(nrs.body)).toBe(200);
  return p;
}

/** Enrols ePRO access for a participant; returns the handle and the code. */
export async function giveAccess(
  team: Team,
  participantId: string,
  props: { channel?: 'email' | 'sms' | 'in_person'; contact?: string; language?: 'da' | 'en' } = {},
): Promise<{ handle: string; code: string }> {
  const r = await team.nurse.post<{ loginPath: string; code: string | null }>(
    `/api/v1/participants/${participantId}/epro/access`,
    {
      channel: props.channel ?? 'in_person',
      ...(props.contact ? { contact: props.contact } : {}),
      language: props.language ?? 'da',
    },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.code).toMatch(/^\d{6}$/);
  return { handle: handleOf(r.body.loginPath), code: r.body.code! };
}

/** Answers of a complete diary day. */
export const DIARY_OK = {
  nrs_worst_24h: 4,
  nrs_average_24h: 3,
  knee_swelling: 'none',
  analgesic_taken: false,
  other_symptoms: null,
};
