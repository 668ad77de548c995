/** Visit schedule (spec §5): plain calendar dates, the visit plan, dates and windows, visit status. */
export * from './plain-date.js';
export * from './visit-plan.js';
export * from './compute-schedule.js';
export * from './visit-status.js';
