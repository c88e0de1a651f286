// Moved to ./cosmos/sync-runs-repository.ts; this re-export goes when the ports take this path.
export * from './cosmos/sync-runs-repository';
