/**
 * Strings shared by the randomization, unblinding, pharmacy and safety pages (namespace
 * `trialCommon`): buttons, the e-signature dialog, durations and yes/no. Each page family adds its
 * own namespace for everything else.
 */
import { definePageStrings, type StringsShape } from './page-strings.js';

const en = {
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
  none: '—',
  cancel: 'Cancel',
  close: 'Close',
  save: 'Save',
  saving: 'Saving…',
  reason: 'Reason',
  reasonHint: 'Recorded in the audit trail.',
  you: 'you',
  copenhagenTime: 'Copenhagen time',
  copenhagenSuffix: '{{time}} (Copenhagen)',
  sectionNav: 'Sections',
  signature: {
    password: 'Your password',
    passwordHint:
      'Signing with your password is your electronic signature. It is recorded with the time and its meaning.',
    sign: 'Sign',
    signing: 'Signing…',
    wrongPassword: 'The password is not correct.',
    meaning: 'Meaning of the signature: {{meaning}}.',
    meanings: {
      approval: 'approval',
      responsibility: 'responsibility',
      review: 'review',
    },
  },
  duration: {
    daysHoursMinutes: '{{days}} d {{hours}} h {{minutes}} min',
    hoursMinutes: '{{hours}} h {{minutes}} min',
    minutes: '{{minutes}} min',
    left: '{{duration}} left',
    overdueBy: 'overdue by {{duration}}',
  },
  errors: {
    required: 'Fill in this field.',
    number: 'Enter a number, such as 2.5.',
    dateTime: 'Enter a date and time.',
    date: 'Enter a date.',
    future: 'This is in the future.',
  },
} as const;

const da: StringsShape<typeof en> = {
  yes: 'Ja',
  no: 'Nej',
  unknown: 'Ukendt',
  none: '—',
  cancel: 'Annullér',
  close: 'Luk',
  save: 'Gem',
  saving: 'Gemmer…',
  reason: 'Begrundelse',
  reasonHint: 'Gemmes i audit trail.',
  you: 'dig',
  copenhagenTime: 'dansk tid (København)',
  copenhagenSuffix: '{{time}} (dansk tid)',
  sectionNav: 'Afsnit',
  signature: {
    password: 'Din adgangskode',
    passwordHint:
      'Når du underskriver med din adgangskode, er det din elektroniske underskrift. Den gemmes med tidspunkt og betydning.',
    sign: 'Underskriv',
    signing: 'Underskriver…',
    wrongPassword: 'Adgangskoden er forkert.',
    meaning: 'Underskriftens betydning: {{meaning}}.',
    meanings: {
      approval: 'godkendelse',
      responsibility: 'ansvar',
      review: 'gennemgang',
    },
  },
  duration: {
    daysHoursMinutes: '{{days}} d. {{hours}} t. {{minutes}} min.',
    hoursMinutes: '{{hours}} t. {{minutes}} min.',
    minutes: '{{minutes}} min.',
    left: '{{duration}} tilbage',
    overdueBy: 'overskredet med {{duration}}',
  },
  errors: {
    required: 'Udfyld dette felt.',
    number: 'Skriv et tal, fx 2,5.',
    dateTime: 'Angiv dato og klokkeslæt.',
    date: 'Angiv en dato.',
    future: 'Tidspunktet ligger i fremtiden.',
  },
};

/** Translation hook for the shared strings: `pt` takes keys such as `signature.sign`. */
export const useCommonStrings = definePageStrings('trialCommon', en, da);

/** The shared strings' type, for helpers that take `pt` as an argument. */
export type CommonStrings = typeof en;
