/**
 * The participant pages' words in Danish and English: a small typed dictionary (no i18next, to keep
 * the phone download small). Both languages must have every key (the type checker insists).
 */
export type Lang = 'da' | 'en';

const da = {
  appTitle: 'STEMJOINT – dine spørgeskemaer',
  language: 'Sprog',
  loading: 'Henter …',
  signInTitle: 'Log ind',
  signInIntro: 'Skriv den kode, du har fået fra studiesygeplejersken eller i beskeden.',
  code: 'Kode (6 cifre)',
  pin: 'Din PIN-kode',
  signIn: 'Log ind',
  useCode: 'Jeg har en ny kode',
  usePin: 'Log ind med min PIN-kode',
  noLink:
    'Åbn linket fra din besked eller dit brev for at logge ind. Kontakt studiesygeplejersken, hvis du ikke har et link.',
  pinTitle: 'Vælg en PIN-kode',
  pinIntro: 'Med en PIN-kode på 4 til 8 cifre kan du logge ind næste gang uden en ny kode.',
  pinNew: 'Ny PIN-kode',
  pinSave: 'Gem PIN-kode',
  pinSkip: 'Spring over',
  listTitle: 'Dine spørgeskemaer',
  listEmpty: 'Der er ingen spørgeskemaer at udfylde lige nu. Tak for din hjælp!',
  diaryDay: 'Smertedagbog – dag {day}',
  dateOf: 'for {date}',
  late: 'For sent – kan stadig udfyldes',
  draft: 'Påbegyndt',
  open: 'Åbn',
  continue: 'Fortsæt',
  closes: 'Frist: {when}',
  signOut: 'Log ud',
  back: 'Tilbage',
  next: 'Næste',
  previous: 'Forrige',
  submit: 'Send svar',
  saveLater: 'Gem og fortsæt senere',
  questionOf: 'Spørgsmål {n} af {total}',
  progress: 'Fremskridt',
  recall: 'Tænk på: {period}',
  yes: 'Ja',
  no: 'Nej',
  addRow: 'Tilføj et præparat mere',
  removeRow: 'Fjern',
  required: 'Besvar venligst dette spørgsmål.',
  fixErrors: 'Ret venligst de markerede svar.',
  confirmTitle: 'Klar til at sende?',
  confirmText:
    'Når du har sendt, kan du ikke selv ændre svarene. Kontakt studiesygeplejersken, hvis noget skal rettes.',
  thanksTitle: 'Tak!',
  thanksText: 'Dine svar er sendt.',
  thanksLate: 'Svaret er registreret som indtastet for sent.',
  toList: 'Til oversigten',
  error: 'Noget gik galt. Prøv igen.',
  signedOut: 'Du er logget ud.',
  scale0: 'ingen smerte',
  scale10: 'værst tænkelige smerte',
} as const;

const en: Record<keyof typeof da, string> = {
  appTitle: 'STEMJOINT – your questionnaires',
  language: 'Language',
  loading: 'Loading …',
  signInTitle: 'Sign in',
  signInIntro: 'Enter the code you received from the study nurse or in your message.',
  code: 'Code (6 digits)',
  pin: 'Your PIN',
  signIn: 'Sign in',
  useCode: 'I have a new code',
  usePin: 'Sign in with my PIN',
  noLink: 'Open the link from your message or letter to sign in. Contact the study nurse if you have no link.',
  pinTitle: 'Choose a PIN',
  pinIntro: 'With a PIN of 4 to 8 digits you can sign in next time without a new code.',
  pinNew: 'New PIN',
  pinSave: 'Save PIN',
  pinSkip: 'Skip',
  listTitle: 'Your questionnaires',
  listEmpty: 'There are no questionnaires to fill in right now. Thank you for your help!',
  diaryDay: 'Pain diary – day {day}',
  dateOf: 'for {date}',
  late: 'Late – can still be filled in',
  draft: 'Started',
  open: 'Open',
  continue: 'Continue',
  closes: 'Deadline: {when}',
  signOut: 'Sign out',
  back: 'Back',
  next: 'Next',
  previous: 'Previous',
  submit: 'Send answers',
  saveLater: 'Save and continue later',
  questionOf: 'Question {n} of {total}',
  progress: 'Progress',
  recall: 'Think about: {period}',
  yes: 'Yes',
  no: 'No',
  addRow: 'Add another medicine',
  removeRow: 'Remove',
  required: 'Please answer this question.',
  fixErrors: 'Please correct the marked answers.',
  confirmTitle: 'Ready to send?',
  confirmText:
    'Once sent, you cannot change the answers yourself. Contact the study nurse if something needs correcting.',
  thanksTitle: 'Thank you!',
  thanksText: 'Your answers have been sent.',
  thanksLate: 'The answer is recorded as entered late.',
  toList: 'Back to the overview',
  error: 'Something went wrong. Please try again.',
  signedOut: 'You are signed out.',
  scale0: 'no pain',
  scale10: 'worst imaginable pain',
};

export type TextKey = keyof typeof da;

const DICTIONARY: Record<Lang, Record<TextKey, string>> = { da, en };

/** The text of a key in a language, with `{name}` placeholders filled. */
export function translate(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  return DICTIONARY[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** A date (YYYY-MM-DD) or instant in the participant's language, e.g. "tirsdag 24. november". */
export function formatDay(lang: Lang, iso: string): string {
  const d = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'Europe/Copenhagen',
  }).format(d);
}

/** An instant as day and time in Copenhagen. */
export function formatWhen(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(iso));
}
