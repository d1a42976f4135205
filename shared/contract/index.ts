export * from './result.js';
export * from './roles.js';
export * from './operation.js';
export * from './operations.js';
export * from './events.js';
