/**
 * Renderers against the sandbox validators (the same checks the channel sandboxes apply): any message, however
 * large or odd, becomes a Block Kit message within Slack's limits and an Adaptive Card 1.5 within 28 KB, cut
 * with an ellipsis and counting what was left out.
 */
import fc from 'fast-check';
import { renderSlack, SLACK_LIMITS } from '../../shared/notifications/render/slack-blocks';
import { renderTeams } from '../../shared/notifications/render/teams-card';
import { ELLIPSIS, escapeSlack, fit } from '../../shared/notifications/render/truncate';
import { validateSlackMessage } from '../../dev/sandboxes/notify/validate-slack';
import { TEAMS_MAX_BYTES, validateTeamsPayload } from '../../dev/sandboxes/notify/validate-teams';
import type { NotificationMessage } from '../../shared/notifications/types';

const huge: NotificationMessage = {
  title: 'T'.repeat(1000),
  severity: 'error',
  text: '<script>&'.repeat(20_000),
  facts: Array.from({ length: 800 }, (_, i) => ({
    label: `label ${i} ${'l'.repeat(300)}`,
    value: `${'v'.repeat(5000)} 😀`,
  })),
  footer: 'f'.repeat(10_000),
};

describe('Slack Block Kit rendering', () => {
  it('keeps an oversize message within every Slack limit and says how many facts were left out', () => {
    const message = renderSlack(huge);
    expect(validateSlackMessage(message)).toBeUndefined();
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.maxBlocks);
    const header = message.blocks[0] as unknown as { text: { text: string } };
    expect(header.text.text.length).toBe(150);
    expect(header.text.text.endsWith(ELLIPSIS)).toBe(true);
    const omitted = JSON.stringify(message.blocks.at(-1));
    expect(omitted).toMatch(/\d+ more fact\(s\) not shown/);
  });

  it('escapes Slack control characters and never cuts inside an escape or a surrogate pair', () => {
    const cut = fit('a&b'.repeat(10), 12, escapeSlack);
    expect(cut.length).toBeLessThanOrEqual(12);
    expect(cut).not.toMatch(/&(?!amp;|lt;|gt;)/);
    const emoji = fit('😀'.repeat(10), 6);
    expect(emoji).toBe('😀😀…');
  });

  it('is valid for any message (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 5000 });
    fc.assert(
      fc.property(
        fc.record({
          title: text,
          text,
          severity: fc.constantFrom('info', 'warning', 'error', 'critical'),
          facts: fc.array(fc.record({ label: text, value: text }), { maxLength: 600 }),
          footer: fc.option(text, { nil: undefined }),
        }),
        (message) => {
          expect(validateSlackMessage(renderSlack(message as NotificationMessage))).toBeUndefined();
          const teams = renderTeams(message as NotificationMessage);
          expect(validateTeamsPayload(JSON.stringify(teams))).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('Teams Adaptive Card rendering', () => {
  it('sends version 1.5 in a message envelope and shrinks oversize content under 28 KB', () => {
    const payload = renderTeams(huge);
    const raw = JSON.stringify(payload);
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(validateTeamsPayload(raw)).toBeUndefined();
    expect(payload.attachments[0]!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(raw).toMatch(/more fact\(s\) not shown/);
  });

  it('keeps a small message whole', () => {
    const payload = renderTeams({
      title: 'Sync run failed',
      severity: 'error',
      text: 'github full sync failed: boom',
      facts: [{ label: 'Tenant', value: 't1' }],
    });
    expect(JSON.stringify(payload)).toContain('github full sync failed: boom');
    expect(JSON.stringify(payload)).not.toContain(ELLIPSIS);
  });

  it('the sandbox refuses what Teams refuses: version 1.6, a non-card attachment, more than 28 KB', () => {
    const ok = renderTeams({ title: 'x', severity: 'info', text: 'y', facts: [] });
    const newer = structuredClone(ok);
    newer.attachments[0]!.content.version = '1.6';
    expect(validateTeamsPayload(JSON.stringify(newer))?.detail).toMatch(/version/);
    expect(
      validateTeamsPayload(
        JSON.stringify({ type: 'message', attachments: [{ contentType: 'text/plain', content: {} }] }),
      )?.status,
    ).toBe(400);
    const big = structuredClone(ok);
    (big.attachments[0]!.content.body as unknown[]).push({ type: 'TextBlock', text: 'z'.repeat(30_000) });
    expect(validateTeamsPayload(JSON.stringify(big))?.status).toBe(413);
    expect(validateSlackMessage({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })?.error).toBe(
      'invalid_blocks',
    );
    expect(
      validateSlackMessage({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] })?.error,
    ).toBe('invalid_blocks');
  });
});
