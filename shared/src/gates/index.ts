export * from './gate-template.js';
export * from './gate-rules.js';
export * from './gate-review-state.js';
