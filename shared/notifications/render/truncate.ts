/**
 * Cutting text to a channel limit without breaking it: never inside a surrogate pair, never inside an escape
 * sequence (the limit is checked on the escaped form), and always with a visible ellipsis so a reader knows
 * something was left out.
 */
export const ELLIPSIS = '…';

/** The first `max` UTF-16 units of `text`, one less when that would split a surrogate pair. */
function cutUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** `text` whose escaped form fits in `limit` characters; cut text ends with an ellipsis. */
export function fit(text: string, limit: number, escape: (raw: string) => string = (raw) => raw): string {
  const whole = escape(text);
  if (whole.length <= limit) return whole;
  let keep = Math.min(text.length, limit - ELLIPSIS.length);
  for (;;) {
    const candidate = escape(cutUnits(text, keep)) + ELLIPSIS;
    // Escapes only ever lengthen text, so the overshoot bounds how much more to cut.
    if (candidate.length <= limit || keep <= 0) return keep <= 0 ? ELLIPSIS : candidate;
    keep -= Math.max(1, candidate.length - limit);
  }
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(raw: string): string {
  return raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
