/**
 * English strings of the emergency-unblinding pages (namespace `unblinding`). The arm names live
 * here, in the chunk of the pages that may show an arm to the one investigator who unblinded;
 * `strings-da.ts` must have exactly the same keys.
 */
export const unblindingEn = {
  log: {
    title: 'Emergency unblinding',
    intro:
      'Every emergency unblinding: who unblinded which participant, when and why. The treatment is never shown in this log; only the investigator who unblinded can see it.',
    request: 'Request emergency unblinding',
    empty: 'No participant has been unblinded.',
    caption: 'Emergency unblinding log',
    columns: {
      participant: 'Participant',
      number: 'Rand. no.',
      kit: 'Kit code',
      by: 'Unblinded by',
      when: 'When',
      reason: 'Reason',
      action: 'Action',
    },
    showAgain: 'Show the treatment again',
  },
  request: {
    title: 'Request emergency unblinding',
    intro:
      'Unblind only when knowing the treatment is necessary for the participant’s medical care. The treatment is shown to you alone; the sponsor and the unblinded trial roles are notified, the request is recorded in the audit trail, and the participant is recorded as unblinded.',
    participant: 'Participant',
    chooseParticipant: 'Choose a randomized participant',
    participantOption: '{{studyId}} · {{number}} · kit {{kit}}',
    alreadyUnblinded: '(already unblinded)',
    noParticipants: 'There are no randomized participants at your sites.',
    reason: 'Medical reason',
    reasonHint: 'At least 10 characters. Recorded in the audit trail and sent with the notification.',
    reasonTooShort: 'State the medical reason (at least 10 characters).',
    continue: 'Continue to signature',
    signTitle: 'Emergency unblinding: electronic signature',
    statement:
      'I request emergency unblinding of participant {{studyId}} ({{number}}) for the medical reason stated. I understand that the participant will be recorded as unblinded.',
    reasonQuote: 'Reason: {{reason}}',
    sign: 'Sign and unblind',
    back: 'Back to the log',
  },
  reveal: {
    title: 'Treatment of {{studyId}}',
    warning:
      'Confidential: shown to you only. Do not tell the participant or blinded trial staff unless it is needed for the participant’s care, and do not record it in the case report forms.',
    armIs: 'Randomized treatment',
    arms: {
      ADMSC: 'AD-MSC: allogeneic adipose-derived mesenchymal stem cells',
      SALINE: 'Saline (placebo)',
    },
    meta: 'Unblinded by {{by}} on {{date}} ({{number}}, kit {{kit}}). Reason: {{reason}}',
    notified:
      'The sponsor and the unblinded trial roles have been notified. This view has been recorded in the audit trail.',
    viewAgainNote: 'Each time the treatment is shown, it is recorded in the audit trail.',
    done: 'Done',
  },
  arm: {
    loadingTitle: 'Emergency unblinding',
  },
} as const;
