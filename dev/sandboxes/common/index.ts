/** Building blocks shared by every provider sandbox. */
export * from './types';
export * from './router';
export * from './server';
export * from './faults';
export * from './tokens';
export * from './oauth';
export * from './seeded';
export * from './lazy-store';
export * from './webhooks';
