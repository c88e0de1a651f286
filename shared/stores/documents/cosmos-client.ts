// Moved to ./cosmos/cosmos-client.ts; this re-export goes when the ports take this path.
export * from './cosmos/cosmos-client';
