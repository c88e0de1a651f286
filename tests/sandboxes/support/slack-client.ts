/** @slack/web-api helpers for the Slack official-client suites: a silent logger and the error a call rejects with. */
import { LogLevel, type Logger } from '@slack/web-api';

export function quietSlackLogger(): Logger {
  let level = LogLevel.ERROR;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    setLevel: (next) => (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** What WebClient's errors carry: `code` (ErrorCode), and `data` (platform errors) or `retryAfter` (rate limits). */
export interface SlackClientError {
  code: string;
  message: string;
  data?: { ok: false; error: string } & Record<string, unknown>;
  retryAfter?: number;
}

/** The error a call rejects with; fails when the call succeeds. */
export async function slackFailure(call: Promise<unknown>): Promise<SlackClientError> {
  try {
    await call;
  } catch (error) {
    return error as SlackClientError;
  }
  throw new Error('expected the call to fail');
}
