// Moved to ./cosmos/rate-limit-overrides-repository.ts; this re-export goes when the ports take this path.
export * from './cosmos/rate-limit-overrides-repository';
