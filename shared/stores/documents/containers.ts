// Moved to ./cosmos/containers.ts; this re-export goes when the ports take this path.
export * from './cosmos/containers';
