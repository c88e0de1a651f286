// Moved to ./cosmos/integrations-repository.ts; this re-export goes when the ports take this path.
export * from './cosmos/integrations-repository';
