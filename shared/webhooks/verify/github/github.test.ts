import { requestOf } from '../../../../tests/webhooks/helpers';
import { signGithub } from '../../../../dev/webhook-signing';
import { parseGithubEvents } from './events';
import { verifyGithub } from './verify';

// Published in GitHub's "Validating webhook deliveries" documentation.
const VECTOR = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};
const NOW = Date.UTC(2026, 10, 25);

function delivery(
  body: string,
  signature: string | undefined,
  secrets: string[],
  event = 'issues',
  id = 'a1b2c3d4-0000-4000-8000-000000000001',
) {
  return requestOf(
    body,
    { 'X-Hub-Signature-256': signature, 'X-GitHub-Delivery': id, 'X-GitHub-Event': event },
    secrets,
    NOW,
  );
}

describe('verifyGithub', () => {
  it('accepts the published vector and signs it identically', () => {
    expect(signGithub(VECTOR.body, VECTOR.secret)).toBe(VECTOR.signature);
    expect(verifyGithub(delivery(VECTOR.body, VECTOR.signature, [VECTOR.secret]))).toEqual({
      ok: true,
      deliveryId: 'a1b2c3d4-0000-4000-8000-000000000001',
      outcome: { kind: 'event' },
      secretIndex: 0,
    });
  });

  it('rejects a tampered body, a wrong secret and a missing header', () => {
    expect(verifyGithub(delivery('Hello, World?', VECTOR.signature, [VECTOR.secret]))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyGithub(delivery(VECTOR.body, VECTOR.signature, ['not the secret']))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyGithub(delivery(VECTOR.body, undefined, [VECTOR.secret]))).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('rejects the legacy sha1 header form, an upper-cased digest and a truncated one', () => {
    const upper = `sha256=${VECTOR.signature.slice(7).toUpperCase()}`;
    for (const signature of [upper, VECTOR.signature.slice(0, -2), `sha1=${VECTOR.signature.slice(7)}`, 'sha256=']) {
      expect(verifyGithub(delivery(VECTOR.body, signature, [VECTOR.secret]))).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });

  it('verifies with the previous secret during rotation and reports which one matched; an unrelated one fails', () => {
    const signedWithOld = signGithub(VECTOR.body, 'old-secret');
    expect(verifyGithub(delivery(VECTOR.body, signedWithOld, ['new-secret', 'old-secret']))).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    const signedWithThird = signGithub(VECTOR.body, 'third-secret');
    expect(verifyGithub(delivery(VECTOR.body, signedWithThird, ['new-secret', 'old-secret']))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('fails closed when no secret is configured, even for an empty-key signature', () => {
    expect(verifyGithub(delivery(VECTOR.body, signGithub(VECTOR.body, ''), []))).toEqual({
      ok: false,
      reason: 'no_secret_configured',
    });
    expect(verifyGithub(delivery(VECTOR.body, signGithub(VECTOR.body, ''), ['']))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('falls back to a content id when the delivery header is missing: same bytes, same id', () => {
    const request = requestOf(VECTOR.body, { 'X-Hub-Signature-256': VECTOR.signature }, [VECTOR.secret], NOW);
    const first = verifyGithub(request);
    expect(first).toMatchObject({ ok: true, deliveryId: expect.stringMatching(/^sha256:[0-9a-f]{32}$/) });
    expect(verifyGithub(request)).toEqual(first);
  });

  it('reports a replayed delivery under the same id, so the receiver can dedupe it', () => {
    const request = delivery(VECTOR.body, VECTOR.signature, [VECTOR.secret]);
    const first = verifyGithub(request);
    const replay = verifyGithub({ ...request, now: NOW + 3_600_000 });
    expect(first.ok && replay.ok && first.deliveryId === replay.deliveryId).toBe(true);
  });
});

describe('parseGithubEvents', () => {
  const parse = (event: string, payload: unknown) =>
    parseGithubEvents(delivery(JSON.stringify(payload), undefined, [], event, 'delivery-1'));

  it('maps issues and issue comments to their entities and ids', () => {
    const repository = { full_name: 'acme/widgets' };
    expect(parse('issues', { action: 'opened', issue: { id: 1001, number: 7 }, repository })).toEqual({
      ok: true,
      deliveryId: 'delivery-1',
      events: [{ kind: 'records', entity: 'issues', ids: ['acme/widgets#7'], operation: 'upsert' }],
    });
    expect(
      parse('issue_comment', { action: 'edited', comment: { id: 55 }, issue: { id: 1001 }, repository }),
    ).toMatchObject({
      events: [{ kind: 'records', entity: 'issue_comments', ids: ['acme/widgets#comment-55'], operation: 'upsert' }],
    });
  });

  it('treats deleted and transferred as deletes', () => {
    const repository = { full_name: 'acme/widgets' };
    expect(parse('issues', { action: 'deleted', issue: { id: 1, number: 1 }, repository })).toMatchObject({
      events: [{ operation: 'delete' }],
    });
    expect(parse('issues', { action: 'transferred', issue: { id: 1, number: 1 }, repository })).toMatchObject({
      events: [{ operation: 'delete' }],
    });
    expect(parse('issues', { action: 'opened', issue: { id: 1, number: 1 } })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parse('issue_comment', { action: 'deleted', comment: { id: 2 }, repository })).toMatchObject({
      events: [{ operation: 'delete' }],
    });
  });

  it('ignores ping and unsynced events, and reports malformed bodies without throwing', () => {
    expect(parse('ping', { zen: 'Keep it logically awesome.' })).toEqual({
      ok: true,
      deliveryId: 'delivery-1',
      events: [],
    });
    expect(parse('push', { ref: 'refs/heads/main' })).toMatchObject({ ok: true, events: [] });
    expect(parse('issues', { action: 'opened' })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseGithubEvents(delivery('{"issue":', undefined, [], 'issues'))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseGithubEvents(delivery('[1,2]', undefined, [], 'issues'))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});
