/** Shows a one-time password once, with a copy button. */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/use-translation.js';

/** Props of OneTimePassword. */
export interface OneTimePasswordProps {
  /** The sentence above the password ("The account for … has been created."). */
  intro: string;
  password: string;
}

/** The password in large monospace type, with "shown only once" advice. */
export function OneTimePassword({ intro, password }: OneTimePasswordProps) {
  const { t } = useTranslation();
  const labelId = useId();
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    navigator.clipboard.writeText(password).then(
      () => setCopied(true),
      // Without clipboard access the password can still be selected and copied by hand.
      () => setCopied(false),
    );
  };
  return (
    <div className="otp" role="status">
      <p>{intro}</p>
      <p id={labelId} className="otp__label">
        {t('users.otp.title')}
      </p>
      <div className="otp__row">
        <code className="otp__value" aria-labelledby={labelId}>
          {password}
        </code>
        <button type="button" className="button button--secondary" onClick={copy}>
          {copied ? t('users.otp.copied') : t('users.otp.copy')}
        </button>
      </div>
      <p className="otp__note">{t('users.otp.note')}</p>
    </div>
  );
}
