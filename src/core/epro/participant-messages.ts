/**
 * Messages the server gives participants, in Danish and English. A participant is never shown an
 * English technical message: every refusal on the participant routes is worded here, and field
 * errors are reworded from their stable codes.
 */

/** The participant languages. */
export const PARTICIPANT_LANGUAGES = ['da', 'en'] as const;
/** One participant language. */
export type ParticipantLanguage = (typeof PARTICIPANT_LANGUAGES)[number];

const MESSAGES = {
  not_signed_in: {
    da: 'Du er ikke logget ind, eller din session er udløbet. Log ind igen.',
    en: 'You are not signed in, or your session has expired. Please sign in again.',
  },
  wrong_code: {
    da: 'Koden er forkert eller udløbet. Kontakt studiesygeplejersken, hvis du ikke kan logge ind.',
    en: 'The code is wrong or has expired. Contact the study nurse if you cannot sign in.',
  },
  access_locked: {
    da: 'For mange forkerte forsøg. Prøv igen senere, eller kontakt studiesygeplejersken.',
    en: 'Too many wrong attempts. Try again later, or contact the study nurse.',
  },
  access_ended: {
    da: 'Din adgang til spørgeskemaerne er afsluttet. Kontakt studiesygeplejersken ved spørgsmål.',
    en: 'Your access to the questionnaires has ended. Contact the study nurse with any questions.',
  },
  security_check: {
    da: 'Sikkerhedstjekket mislykkedes. Genindlæs siden og prøv igen.',
    en: 'The security check failed. Reload the page and try again.',
  },
  not_yours: {
    da: 'Dette spørgeskema findes ikke eller er ikke åbent for dig.',
    en: 'This questionnaire does not exist or is not open to you.',
  },
  not_yet_open: { da: 'Dette spørgeskema er ikke åbent endnu.', en: 'This questionnaire is not open yet.' },
  window_closed: {
    da: 'Fristen for dette spørgeskema er udløbet, så det kan ikke længere udfyldes.',
    en: 'The deadline for this questionnaire has passed, so it can no longer be filled in.',
  },
  already_submitted: {
    da: 'Dette spørgeskema er allerede sendt. Kontakt studiesygeplejersken, hvis et svar skal rettes.',
    en: 'This questionnaire has already been sent. Contact the study nurse if an answer needs correcting.',
  },
  invalid_answers: {
    da: 'Nogle svar skal rettes, før skemaet kan gemmes.',
    en: 'Some answers need correcting before the form can be saved.',
  },
  invalid_pin: { da: 'PIN-koden skal være 4 til 8 cifre.', en: 'The PIN must be 4 to 8 digits.' },
  field_required: { da: 'Besvar venligst dette spørgsmål.', en: 'Please answer this question.' },
  field_range: { da: 'Vælg et tal mellem {min} og {max}.', en: 'Choose a number between {min} and {max}.' },
  field_choice: { da: 'Vælg et af svarene.', en: 'Choose one of the answers.' },
  field_too_long: {
    da: 'Teksten er for lang (højst {max} tegn).',
    en: 'The text is too long (at most {max} characters).',
  },
  field_invalid: { da: 'Svaret er ikke gyldigt.', en: 'The answer is not valid.' },
  field_unknown: { da: 'Dette felt hører ikke til skemaet.', en: 'This field is not part of the form.' },
  unavailable: {
    da: 'Skemaet kan ikke modtage svar lige nu. Kontakt studiesygeplejersken.',
    en: 'The form cannot take answers right now. Please contact the study nurse.',
  },
  no_further_data: {
    da: 'Der indsamles ikke flere data fra dig i forsøget.',
    en: 'No further data are being collected from you in the trial.',
  },
} as const satisfies Record<string, Record<ParticipantLanguage, string>>;

/** A message key. */
export type ParticipantMessageKey = keyof typeof MESSAGES;

/** The message in a language, with `{name}` placeholders filled. */
export function participantMessage(
  key: ParticipantMessageKey,
  language: ParticipantLanguage,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/**
 * The preferred participant language of an `Accept-Language` header (`da-DK,da;q=0.9,en;q=0.8`),
 * or null when it names neither Danish nor English.
 */
export function languageFromAcceptLanguage(header: string | undefined): ParticipantLanguage | null {
  if (header === undefined) return null;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find((v) => v !== undefined);
      return { lang: tag.split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) if (r.lang === 'da' || r.lang === 'en') return r.lang;
  return null;
}

/** Rewords one field error of the eCRF validation (stable `code`) for a participant. */
export function participantFieldMessage(
  code: string | undefined,
  language: ParticipantLanguage,
  item: { range?: { hardMin: number; hardMax: number } | null; maxLength?: number | null } = {},
): string {
  switch (code) {
    case 'required':
      return participantMessage('field_required', language);
    case 'hard_range':
      return item.range
        ? participantMessage('field_range', language, { min: item.range.hardMin, max: item.range.hardMax })
        : participantMessage('field_invalid', language);
    case 'code_list':
      return participantMessage('field_choice', language);
    case 'max_length':
      return participantMessage('field_too_long', language, { max: item.maxLength ?? '' });
    case 'unknown_item':
    case 'derived':
      return participantMessage('field_unknown', language);
    default:
      return participantMessage('field_invalid', language);
  }
}
