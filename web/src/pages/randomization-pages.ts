/**
 * The randomization pages as one lazily loaded module: the route table imports this module once for
 * all of them, so the shell lists its chunk once instead of once per page.
 */
export { default as RandomizationPage } from './randomization-page.js';
export { default as RandomizationParticipantPage } from './randomization-participant-page.js';
