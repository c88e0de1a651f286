/**
 * A notification as a Teams Workflows webhook payload: one Adaptive Card (version 1.5, the highest Teams
 * renders everywhere) in a `message` envelope, at most 28 KB in all (PROVIDERS.md). Parts are capped first;
 * if the whole is still too large, facts are dropped from the end (and counted) and then the text is halved
 * until it fits, so an oversize alert still arrives, shortened, instead of being refused.
 */
import type { NotificationMessage } from '../types';
import { byteLength, fit } from './truncate';

export const TEAMS_LIMITS = {
  cardVersion: '1.5',
  maxPayloadBytes: 28 * 1024,
  titleChars: 200,
  textChars: 8000,
  factTitleChars: 100,
  factValueChars: 1000,
  maxFacts: 60,
} as const;
/** Leave room for the envelope the Workflows flow adds and for rounding. */
const BUDGET_BYTES = TEAMS_LIMITS.maxPayloadBytes - 512;

const SEVERITY_COLOR = { info: 'Default', warning: 'Warning', error: 'Attention', critical: 'Attention' } as const;

export interface TeamsPayload {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: Record<string, unknown>;
  }>;
}

function card(
  message: NotificationMessage,
  text: string,
  facts: Array<{ title: string; value: string }>,
  omitted: number,
): TeamsPayload {
  const body: Array<Record<string, unknown>> = [
    {
      type: 'TextBlock',
      text: fit(message.title.trim() || 'Notification', TEAMS_LIMITS.titleChars),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      color: SEVERITY_COLOR[message.severity],
    },
    { type: 'TextBlock', text: `**${message.severity.toUpperCase()}** ${text}`, wrap: true },
  ];
  const shownFacts = omitted > 0 ? [...facts, { title: '…', value: `${omitted} more fact(s) not shown` }] : facts;
  if (shownFacts.length) body.push({ type: 'FactSet', facts: shownFacts });
  if (message.footer)
    body.push({ type: 'TextBlock', text: fit(message.footer, 500), isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: TEAMS_LIMITS.cardVersion,
          body,
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

export function renderTeams(message: NotificationMessage): TeamsPayload {
  const allFacts = message.facts.map((fact) => ({
    title: fit(fact.label, TEAMS_LIMITS.factTitleChars),
    value: fit(fact.value || '-', TEAMS_LIMITS.factValueChars),
  }));
  let facts = allFacts.slice(0, TEAMS_LIMITS.maxFacts);
  let textLimit: number = TEAMS_LIMITS.textChars;
  let payload = card(message, fit(message.text, textLimit), facts, allFacts.length - facts.length);
  while (byteLength(payload) > BUDGET_BYTES) {
    if (facts.length > 0) facts = facts.slice(0, Math.floor(facts.length / 2));
    else if (textLimit > 50) textLimit = Math.floor(textLimit / 2);
    else break; // title and footer are capped small; this cannot stay over budget
    payload = card(message, fit(message.text, textLimit), facts, allFacts.length - facts.length);
  }
  return payload;
}
