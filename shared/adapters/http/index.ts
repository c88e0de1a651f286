/** The shared provider HTTP client: one import for adapters. */
export * from './types';
export * from './classify';
export * from './retry-after';
export * from './provider-request';
export * from './redact-url';
