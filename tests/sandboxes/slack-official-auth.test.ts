/**
 * @slack/web-api judges the Slack sandbox's rate limits (429 + Retry-After, as WebClient reports it with
 * rejectRateLimitedCalls) and its OAuth v2 refresh (oauth.v2.access with grant_type=refresh_token, token rotation,
 * invalid_refresh_token). Slack ships no standalone request verifier in the packages we have, so signed Events API
 * deliveries are judged by Slack's published v0 scheme, written out here and first checked against the example
 * Slack publishes (not by calling our own verifier).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, WebClient } from '@slack/web-api';
import { refreshSlackToken } from '../../shared/adapters/slack/oauth';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startSlackSandbox } from '../../dev/sandboxes/slack';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { WebhookInbox } from './support/official-clients';
import { quietSlackLogger, slackFailure } from './support/slack-client';

const [CHANNEL] = channelIds(1) as [string];

function webClient(sandbox: RunningSandbox, token?: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${sandbox.url}/api/`,
    logger: quietSlackLogger(),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/**
 * Slack's "Verifying requests from Slack": v0=hex(HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}")),
 * compared in constant time, and the timestamp no more than five minutes from now.
 */
function slackSignatureValid(
  secret: string,
  timestamp: string,
  rawBody: string,
  signature: string,
  nowMs = Date.now(),
) {
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 5 * 60) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('rate limits as WebClient reports them', () => {
  let sandbox: RunningSandbox;
  let now = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    sandbox = await startSlackSandbox({
      records: 30,
      extra: { channels: 1, appDistribution: 'non_marketplace', rateTiers: true, clock: () => now },
    });
  });
  afterAll(() => sandbox.stop());

  it('a 429 with Retry-After is a rate-limited error carrying retryAfter in seconds', async () => {
    const client = webClient(sandbox, sandbox.control.issueToken().accessToken);
    sandbox.control.injectFault({ kind: 'rate_limit', retryAfterSeconds: 7, path: 'users.list' });
    const error = await slackFailure(client.users.list({ limit: 5 }));
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    // The fault is spent: the next call goes through.
    expect((await client.users.list({ limit: 5 })).ok).toBe(true);
  });

  it('outside the Marketplace, a second conversations.history call within the minute is refused until the minute is over', async () => {
    const client = webClient(sandbox, sandbox.control.issueToken().accessToken);
    expect((await client.conversations.history({ channel: CHANNEL, limit: 15 })).ok).toBe(true);
    now += 20_000;
    const error = await slackFailure(client.conversations.history({ channel: CHANNEL, limit: 15 }));
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(40);
    now += 40_000;
    expect((await client.conversations.history({ channel: CHANNEL, limit: 15 })).ok).toBe(true);
  });
});

describe('OAuth v2 refresh with token rotation through WebClient.oauth.v2.access', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSlackSandbox({ records: 3, extra: { channels: 1 } });
  });
  afterAll(() => sandbox.stop());

  const refresh = (sandbox: RunningSandbox, refreshToken: string) =>
    webClient(sandbox).oauth.v2.access({
      client_id: SANDBOX_CLIENT.clientId,
      client_secret: SANDBOX_CLIENT.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });

  it('refreshes: a new 12 h token that works and a new refresh token; the used one is refused', async () => {
    const issued = sandbox.control.issueToken();
    const refreshed = await refresh(sandbox, issued.refreshToken);
    expect(refreshed).toMatchObject({
      ok: true,
      token_type: 'bot',
      access_token: expect.stringMatching(/^xoxe\.xoxb-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 43_200,
      team: { id: expect.any(String) },
    });
    const me = await webClient(sandbox, refreshed.access_token).auth.test();
    expect(me).toMatchObject({ ok: true, team_id: refreshed.team!.id });
    const reused = await slackFailure(refresh(sandbox, issued.refreshToken));
    expect(reused.code).toBe(ErrorCode.PlatformError);
    expect(reused.data?.error).toBe('invalid_refresh_token');
  });

  it('takes the client credentials by HTTP Basic auth too, as Slack prefers', async () => {
    const issued = sandbox.control.issueToken();
    const basic = Buffer.from(`${SANDBOX_CLIENT.clientId}:${SANDBOX_CLIENT.clientSecret}`).toString('base64');
    const answer = await fetch(`${sandbox.url}/api/oauth.v2.access`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: issued.refreshToken }).toString(),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ ok: true, access_token: expect.stringMatching(/^xoxe\.xoxb-/) });
  });

  it('a revoked refresh token is invalid_refresh_token to WebClient, and auth_revoked to our token client', async () => {
    const got = await refresh(sandbox, sandbox.control.issueToken().refreshToken);
    const ours = await refreshSlackToken({
      apiUrl: sandbox.url,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      refreshToken: got.refresh_token!,
      timeoutMs: 5000,
    });
    expect(ours.accessToken).toMatch(/^xoxe\.xoxb-/);
    sandbox.control.revokeRefreshTokens();
    const refused = await slackFailure(refresh(sandbox, ours.refreshToken!));
    expect(refused.data?.error).toBe('invalid_refresh_token');
    await expect(
      refreshSlackToken({
        apiUrl: sandbox.url,
        clientId: SANDBOX_CLIENT.clientId,
        clientSecret: SANDBOX_CLIENT.clientSecret,
        refreshToken: ours.refreshToken!,
        timeoutMs: 5000,
      }),
    ).rejects.toMatchObject({ code: 'auth_revoked' });
    const wrongSecret = await slackFailure(
      webClient(sandbox).oauth.v2.access({
        client_id: SANDBOX_CLIENT.clientId,
        client_secret: 'not-the-secret',
        grant_type: 'refresh_token',
        refresh_token: 'xoxe-1-whatever',
      }),
    );
    expect(wrongSecret.data?.error).toBe('bad_client_secret');
  });
});

describe("signed Events API deliveries, judged by Slack's published v0 scheme", () => {
  const SECRET = 'slack-signing-secret-for-the-judge';
  let sandbox: RunningSandbox;
  let inbox: WebhookInbox;
  beforeAll(async () => {
    inbox = await new WebhookInbox().start();
    sandbox = await startSlackSandbox({
      records: 5,
      webhookUrl: inbox.url,
      webhookSecret: SECRET,
      extra: { channels: 1, threads: 0 },
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    await inbox.stop();
  });

  it("the judge accepts Slack's published example and refuses it altered or stale", () => {
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const timestamp = '1531420618';
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
    const then = Number(timestamp) * 1000;
    expect(slackSignatureValid(secret, timestamp, body, signature, then)).toBe(true);
    expect(slackSignatureValid(secret, timestamp, `${body}x`, signature, then)).toBe(false);
    expect(slackSignatureValid(secret, timestamp, body, signature, then + 6 * 60_000)).toBe(false);
  });

  it('delivers a posted reply as a signed event_callback that the judge accepts', async () => {
    const client = webClient(sandbox, sandbox.control.issueToken().accessToken);
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'parent' });
    const reply = await client.chat.postMessage({ channel: CHANNEL, text: 'in the thread', thread_ts: parent.ts! });
    await sandbox.control.flushWebhooks();
    const [delivery] = await inbox.waitFor((d) => d.rawBody.includes('in the thread'));
    const timestamp = String(delivery!.headers['x-slack-request-timestamp']);
    const signature = String(delivery!.headers['x-slack-signature']);
    expect(slackSignatureValid(SECRET, timestamp, delivery!.rawBody, signature)).toBe(true);
    expect(slackSignatureValid('another-secret', timestamp, delivery!.rawBody, signature)).toBe(false);
    expect(JSON.parse(delivery!.rawBody)).toMatchObject({
      type: 'event_callback',
      event_id: expect.stringMatching(/^Ev/),
      event: { type: 'message', channel: CHANNEL, ts: reply.ts, thread_ts: parent.ts, text: 'in the thread' },
    });
  });
});
