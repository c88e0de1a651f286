// Moved to ./cosmos/bulk.ts; this re-export goes when the ports take this path.
export * from './cosmos/bulk';
