/**
 * What the local host and its worker processes tell each other, besides the calls of rpc.ts (the queue and the
 * secrets one way, queue invocations the other): start with these settings, stop; listening (ready for HTTP and
 * queue invocations), failed.
 */
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
