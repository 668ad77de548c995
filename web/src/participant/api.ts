/** The participant pages' calls to the server (cookie `sj_participant`, CSRF header on writes). */
import type { Lang } from './i18n.js';

export interface Me {
  language: Lang;
  hasPin: boolean;
  csrfToken: string;
}

export interface Summary {
  visitCode: string;
  formId: 'pain_diary' | 'koos' | 'nrs';
  title: string;
  kind: 'diary' | 'visit';
  diaryDay: number | null;
  date: string;
  state: 'open' | 'late';
  closesAt: string;
  status: 'not_started' | 'draft';
}

export type Scalar = string | number | boolean;

export interface Question {
  id: string;
  type: 'integer' | 'decimal' | 'code' | 'boolean' | 'text';
  label: string;
  help: string | null;
  required: boolean;
  range: { min: number; max: number } | null;
  precision: number | null;
  options: { value: Scalar; label: string }[] | null;
  maxLength: number | null;
  multiline: boolean;
  showIf: { item: string; equals: Scalar } | null;
}

export interface Group {
  id: string;
  title: string;
  repeating: boolean;
  showIf: { item: string; equals: Scalar } | null;
  questions: Question[];
}

export interface Questionnaire extends Summary {
  recallPeriod: string | null;
  instructions: string | null;
  groups: Group[];
  values: Record<string, unknown>;
  progress: { answered: number; total: number };
}

export interface SaveResult {
  status: 'draft' | 'submitted';
  late: boolean;
}

/** An error answer: a message in the participant's language and one message per question. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string>,
  ) {
    super(message);
  }
}

let csrf = '';
let language: Lang = 'da';

/** Remembers the CSRF token and the language sent with each request. */
export function configure(props: { csrfToken?: string; lang?: Lang }): void {
  if (props.csrfToken !== undefined) csrf = props.csrfToken;
  if (props.lang !== undefined) language = props.lang;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': language };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as { error?: { message?: string; details?: { path: string; message: string }[] } } | null)?.error;
    const fields: Record<string, string> = {};
    for (const d of err?.details ?? []) fields[d.path.replace(/^(body\.)?values\./, '')] = d.message;
    throw new ApiError(res.status, err?.message ?? res.statusText, fields);
  }
  return data as T;
}

export const api = {
  me: () => call<Me>('GET', '/api/v1/participant/me'),
  login: (body: { handle: string; code?: string; pin?: string }) => call<Me>('POST', '/api/v1/participant/login', body),
  logout: () => call<{ ok: true }>('POST', '/api/v1/participant/logout'),
  setPin: (pin: string) => call<{ ok: true }>('PUT', '/api/v1/participant/pin', { pin }),
  setLanguage: (lang: Lang) => call<{ ok: true }>('PUT', '/api/v1/participant/language', { language: lang }),
  list: () => call<Summary[]>('GET', '/api/v1/participant/questionnaires'),
  get: (visitCode: string, formId: string) =>
    call<Questionnaire>('GET', `/api/v1/participant/questionnaires/${visitCode}/${formId}`),
  save: (visitCode: string, formId: string, values: Record<string, unknown>, action: 'draft' | 'submit') =>
    call<SaveResult>('PUT', `/api/v1/participant/questionnaires/${visitCode}/${formId}`, { values, action }),
};
