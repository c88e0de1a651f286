// Moved to ./cosmos/sync-state-repository.ts; this re-export goes when the ports take this path.
export * from './cosmos/sync-state-repository';
