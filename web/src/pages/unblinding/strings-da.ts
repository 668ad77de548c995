/** Danish strings of the emergency-unblinding pages; the same keys as `strings-en.ts`. */
import type { StringsShape } from '../randomization/page-strings.js';
import type { unblindingEn } from './strings-en.js';

export const unblindingDa: StringsShape<typeof unblindingEn> = {
  log: {
    title: 'Nødafblinding',
    intro:
      'Alle nødafblindinger: hvem der afblindede hvilken deltager, hvornår og hvorfor. Behandlingen vises aldrig i loggen; kun den investigator, der afblindede, kan se den.',
    request: 'Anmod om nødafblinding',
    empty: 'Ingen deltagere er afblindet.',
    caption: 'Log over nødafblindinger',
    columns: {
      participant: 'Deltager',
      number: 'Rand.nr.',
      kit: 'Kitkode',
      by: 'Afblindet af',
      when: 'Hvornår',
      reason: 'Begrundelse',
      action: 'Handling',
    },
    showAgain: 'Vis behandlingen igen',
  },
  request: {
    title: 'Anmod om nødafblinding',
    intro:
      'Afblind kun, når kendskab til behandlingen er nødvendigt for deltagerens behandling. Behandlingen vises kun for dig; sponsor og de ublindede roller i forsøget får besked, anmodningen gemmes i audit trail, og deltageren registreres som afblindet.',
    participant: 'Deltager',
    chooseParticipant: 'Vælg en randomiseret deltager',
    participantOption: '{{studyId}} · {{number}} · kit {{kit}}',
    alreadyUnblinded: '(allerede afblindet)',
    noParticipants: 'Der er ingen randomiserede deltagere på dine forsøgssteder.',
    reason: 'Medicinsk begrundelse',
    reasonHint: 'Mindst 10 tegn. Gemmes i audit trail og sendes med meddelelsen.',
    reasonTooShort: 'Angiv den medicinske begrundelse (mindst 10 tegn).',
    continue: 'Videre til underskrift',
    signTitle: 'Nødafblinding: elektronisk underskrift',
    statement:
      'Jeg anmoder om nødafblinding af deltager {{studyId}} ({{number}}) af den angivne medicinske årsag. Jeg er klar over, at deltageren registreres som afblindet.',
    reasonQuote: 'Begrundelse: {{reason}}',
    sign: 'Underskriv og afblind',
    back: 'Tilbage til loggen',
  },
  reveal: {
    title: 'Behandling for {{studyId}}',
    warning:
      'Fortroligt: vises kun for dig. Fortæl det ikke til deltageren eller blindet forsøgspersonale, medmindre det er nødvendigt for deltagerens behandling, og skriv det ikke i CRF’erne.',
    armIs: 'Randomiseret behandling',
    arms: {
      ADMSC: 'AD-MSC: allogene fedtvævsafledte mesenkymale stamceller',
      SALINE: 'Saltvand (placebo)',
    },
    meta: 'Afblindet af {{by}} {{date}} ({{number}}, kit {{kit}}). Begrundelse: {{reason}}',
    notified: 'Sponsor og de ublindede roller i forsøget har fået besked. Visningen er gemt i audit trail.',
    viewAgainNote: 'Hver gang behandlingen vises, gemmes det i audit trail.',
    done: 'Færdig',
  },
  arm: {
    loadingTitle: 'Nødafblinding',
  },
};
