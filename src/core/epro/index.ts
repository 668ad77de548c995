/** Pure ePRO helpers: Copenhagen diary days, reminder planning, participant messages, KOOS wording. */
export * from './copenhagen-clock.js';
export * from './diary-days.js';
export * from './reminder-plan.js';
export * from './participant-messages.js';
export * from './koos-translation.js';
