/**
 * Field messages of the sign-in and account forms, translated: the shared translations
 * (`lib/error-messages.ts`) plus the password-policy and code messages these forms meet.
 */
import { isApiError } from '../../api/client.js';
import type { TranslationApi } from '../../i18n/use-translation.js';
import { translatedFieldErrors } from '../../lib/error-messages.js';

type T = TranslationApi['t'];

/** Server messages of the password policy and code checks (see `src/services/passwords.ts`, `totp.ts`). */
const MESSAGES: Record<string, Parameters<T>[0]> = {
  'is too common or too easy to guess (a common password, word or keyboard pattern)': 'errors.passwordCommon',
  'must not contain your e-mail address or its name part': 'errors.passwordContainsEmail',
  'is not the current code of your authenticator app': 'errors.wrongCode',
  'must be the 6-digit code from your authenticator app': 'security.codeHint',
};

/** Field errors of `error`, keyed by form field, in the current language. */
export function securityFieldErrors(t: T, error: unknown): Record<string, string> {
  const out = translatedFieldErrors(t, error);
  if (!isApiError(error)) return out;
  for (const d of error.details) {
    const key = MESSAGES[d.message];
    const field = d.path
      .split('.')
      .filter((s) => s !== 'body')
      .at(0);
    if (key && field) out[field] = t(key);
  }
  return out;
}

/** Groups a base32 secret in fours for reading aloud and typing (`ABCD EFGH …`). */
export const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(' ') ?? secret;
