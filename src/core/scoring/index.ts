/** Derived scores and items: KOOS, BMI, age, effusion, change from baseline, de novo DSA. */
export * from './koos-items.js';
export * from './score-koos.js';
export * from './parse-koos-answers.js';
export * from './compute-bmi.js';
export * from './compute-age.js';
export * from './derive-effusion.js';
export * from './compute-change-from-baseline.js';
export * from './derive-de-novo-dsa.js';
