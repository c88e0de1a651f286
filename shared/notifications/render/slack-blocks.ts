/**
 * A notification as Slack Block Kit, inside Slack's limits (PROVIDERS.md): at most 50 blocks, header text
 * ≤ 150, section text ≤ 3,000, ≤ 10 fields of ≤ 2,000 each, context ≤ 10 elements. Oversize content is cut with
 * an ellipsis and facts that do not fit are counted in a closing line, never dropped silently. The top-level
 * `text` is the notification fallback (push notifications, screen readers).
 */
import type { NotificationMessage } from '../types';
import { escapeSlack, fit } from './truncate';

export const SLACK_LIMITS = {
  maxBlocks: 50,
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  fallbackText: 3000,
} as const;

const SEVERITY_ICON = {
  info: ':information_source:',
  warning: ':warning:',
  error: ':x:',
  critical: ':rotating_light:',
} as const;

export type SlackBlock = Record<string, unknown> & { type: string };
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export function renderSlack(message: NotificationMessage): SlackMessage {
  // The icon and bold severity are ours; only the caller's text is escaped and cut.
  const lead = `${SEVERITY_ICON[message.severity]} *${message.severity.toUpperCase()}*  `;
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: fit(message.title.trim() || 'Notification', SLACK_LIMITS.headerText),
        emoji: true,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: lead + fit(message.text || '-', SLACK_LIMITS.sectionText - lead.length, escapeSlack),
      },
    },
  ];

  const reserved = message.footer?.trim() ? 2 : 1; // the footer and a possible "more facts" line
  const fieldBlocksAllowed = SLACK_LIMITS.maxBlocks - blocks.length - reserved;
  const fields = message.facts.map((fact) => ({
    type: 'mrkdwn',
    text: `*${fit(fact.label, 100, escapeSlack)}*\n${fit(fact.value || '-', SLACK_LIMITS.fieldText - 110, escapeSlack)}`,
  }));
  let shown = 0;
  for (let i = 0; i < fields.length && blocks.length - 2 < fieldBlocksAllowed; i += SLACK_LIMITS.fieldsPerSection) {
    const chunk = fields.slice(i, i + SLACK_LIMITS.fieldsPerSection);
    blocks.push({ type: 'section', fields: chunk });
    shown += chunk.length;
  }
  const context: Array<{ type: 'mrkdwn'; text: string }> = [];
  if (message.footer?.trim())
    context.push({ type: 'mrkdwn', text: fit(message.footer, SLACK_LIMITS.sectionText, escapeSlack) });
  if (shown < fields.length)
    context.push({ type: 'mrkdwn', text: `_${fields.length - shown} more fact(s) not shown_` });
  if (context.length) blocks.push({ type: 'context', elements: context.slice(0, SLACK_LIMITS.contextElements) });

  return {
    text: fit(`${message.title}: ${message.text}`, SLACK_LIMITS.fallbackText, escapeSlack),
    blocks: blocks.slice(0, SLACK_LIMITS.maxBlocks),
  };
}
