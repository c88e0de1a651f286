/** What the local host and its HTTP worker processes tell each other, besides the calls of rpc.ts. */
import type { SecretStore } from '../../../shared/credentials';

export type WorkerControl =
  | {
      type: 'start';
      env: Record<string, string | undefined>;
      useProcessEnv: boolean;
      port: number;
      secretStoreKind: SecretStore['kind'];
    }
  | { type: 'stop' };

export type WorkerReport = { type: 'listening'; port: number } | { type: 'failed'; message: string };
