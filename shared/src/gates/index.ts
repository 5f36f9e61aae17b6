export * from './gate-template.js';
export * from './gate-rules.js';
