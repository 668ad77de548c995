/**
 * Turns API errors into text for the user in the current language. The server's messages are
 * English and meant for developers; the ones users meet in forms are mapped to translations here,
 * anything unknown is shown as the server wrote it rather than hidden.
 */
import type { TranslationApi } from '../i18n/use-translation.js';
import { ApiError, fieldErrors, isApiError } from '../api/client.js';

type T = TranslationApi['t'];

/** A translation of one server field message (`details[].message`). */
export function translateFieldMessage(t: T, message: string): string {
  const tooShort = /^must be at least (\d+) characters$/.exec(message);
  if (tooShort) return t('errors.passwordTooShort', { min: Number(tooShort[1]) });
  if (/^must not be empty$|^is required$|^Too small: expected string to have >=1 characters?$/.test(message)) {
    return t('errors.required');
  }
  if (message === 'must be an e-mail address') return t('errors.email');
  if (message === 'already in use') return t('errors.emailInUse');
  if (message === 'is not your current password') return t('errors.notCurrentPassword');
  if (message === 'must differ from the current password') return t('errors.sameAsCurrent');
  if (message === 'must not be one repeated character') return t('errors.passwordRepeated');
  if (message === 'at least one role is required') return t('errors.chooseRole');
  if (message.startsWith('unknown site')) return t('errors.unknownSite');
  if (message === 'is your own account') return t('errors.ownAccount');
  return message;
}

/** The field errors of `error`, translated and keyed by form field name. */
export function translatedFieldErrors(t: T, error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const raw = fieldErrors(error.details);
  return Object.fromEntries(Object.entries(raw).map(([field, message]) => [field, translateFieldMessage(t, message)]));
}

/** A sentence describing `error` for the top of a form or page. */
export function describeError(t: T, error: unknown): string {
  if (!(error instanceof ApiError)) {
    return t('errors.generic', { message: error instanceof Error ? error.message : String(error) });
  }
  switch (error.code) {
    case 'validation_failed':
      return t('errors.checkFields');
    case 'network':
      return t('errors.network');
    case 'forbidden':
      return t('errors.forbidden');
    case 'database_locked':
      return t('errors.databaseLocked');
    case 'csrf_failed':
      return t('errors.csrf');
    case 'invalid_credentials':
      return t('signIn.errors.invalidCredentials');
    case 'account_locked':
      return t('signIn.errors.accountLocked');
    case 'account_disabled':
      return t('signIn.errors.accountDisabled');
    case 'rate_limited':
      return t('signIn.errors.rateLimited');
    case 'session_expired':
      return t('signIn.sessionExpired');
    case 'conflict':
      return error.details.length > 0 ? t('errors.checkFields') : t('errors.generic', { message: error.message });
    case 'not_found':
    case 'unauthenticated':
    case 'password_change_required':
    case 'payload_too_large':
    case 'unsupported_media_type':
    case 'internal':
      return t('errors.generic', { message: error.message });
  }
}
