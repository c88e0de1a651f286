/**
 * @octokit/rest for the GitHub official-client suites: the client (an ES module, loaded by Node's own require), a
 * client for a sandbox, and the RequestError a call rejects with.
 */
import type { Octokit as OctokitClient } from '@octokit/rest';
import type { RunningSandbox } from '../../../dev/sandboxes/common/types';
import { requireEsm } from './official-clients';

export type { OctokitClient };
export const { Octokit } = requireEsm<typeof import('@octokit/rest')>('@octokit/rest');

export const REPO = { owner: 'acme', repo: 'widgets' };
export const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export type Json = Record<string, unknown>;
export type RequestErrorLike = { status: number; message: string; response?: { headers: Json; data: unknown } };

/** An Octokit for the sandbox, with a fresh token unless one is given. */
export function octokit(sandbox: RunningSandbox, auth?: string): OctokitClient {
  return new Octokit({ auth: auth ?? sandbox.control.issueToken().accessToken, baseUrl: sandbox.url, log: silent });
}

/** The error a call rejects with (Octokit's RequestError); fails when the call succeeds. */
export async function failure(call: Promise<unknown>): Promise<RequestErrorLike> {
  try {
    await call;
  } catch (error) {
    return error as RequestErrorLike;
  }
  throw new Error('expected the call to fail');
}
