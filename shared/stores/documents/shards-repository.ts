// Moved to ./cosmos/shards-repository.ts; this re-export goes when the ports take this path.
export * from './cosmos/shards-repository';
