/**
 * The server's field messages for identity, consent, sign-off and withdrawal, in the user's
 * language and keyed by form field. Messages the screening pages do not know fall back to the
 * shell's translations (which show unknown ones as the server wrote them).
 */
import { fieldErrors, isApiError } from '../../api/client.js';
import { translateFieldMessage } from '../../lib/error-messages.js';
import type { TranslationApi } from '../../i18n/use-translation.js';
import type { ScreeningT } from './screening-i18n.js';

/** One server message for `field`, translated. */
export function translateScreeningMessage(
  st: ScreeningT,
  t: TranslationApi['t'],
  field: string,
  message: string,
): string {
  if (message === 'password is not correct') return st('signOff.wrongPassword');
  if (message === 'is in the future') return field === 'withdrawnOn' ? st('withdraw.future') : st('consent.future');
  if (/^is before \d{4}-\d{2}-\d{2}$/.test(message)) return st('consent.beforeIssued');
  if (field === 'cpr') {
    if (message.startsWith('a CPR number is')) return st('identity.cprFormat');
    if (message.endsWith('is not a calendar date')) return st('identity.cprDate');
    const mismatch = /but date_of_birth is (\d{4}-\d{2}-\d{2})/.exec(message);
    if (mismatch) return st('identity.cprMismatch', { date: mismatch[1] ?? '' });
    if (message.startsWith('already enrolled')) return st('identity.alreadyEnrolled');
  }
  return translateFieldMessage(t, message);
}

/** The field errors of `error`, translated, keyed by field (`signature.password` becomes `signature`). */
export function screeningFieldErrors(st: ScreeningT, t: TranslationApi['t'], error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const raw = fieldErrors(error.details);
  return Object.fromEntries(
    Object.entries(raw).map(([field, message]) => [field, translateScreeningMessage(st, t, field, message)]),
  );
}
