/**
 * What a Teams Workflows "post card" flow needs, as the sandbox enforces it: a `message` with at least one
 * Adaptive Card attachment, card version ≤ 1.5, a body of known elements, and the whole request ≤ 28 KB.
 */
export const TEAMS_MAX_BYTES = 28 * 1024;
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const ELEMENTS = new Set([
  'TextBlock',
  'FactSet',
  'ColumnSet',
  'Container',
  'Image',
  'ActionSet',
  'RichTextBlock',
  'Table',
]);

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface TeamsProblem {
  status: 400 | 413;
  detail: string;
}

function versionOk(version: unknown): boolean {
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) return false;
  const [major, minor] = version.split('.').map(Number);
  return major! < 1 || (major === 1 && minor! <= 5);
}

function element(value: unknown, path: string): string | undefined {
  if (!isObj(value) || typeof value.type !== 'string' || !ELEMENTS.has(value.type))
    return `${path}.type: unknown element`;
  if (value.type === 'TextBlock' && typeof value.text !== 'string') return `${path}.text: must be a string`;
  if (value.type === 'FactSet') {
    if (!Array.isArray(value.facts)) return `${path}.facts: must be an array`;
    for (let i = 0; i < value.facts.length; i++) {
      const fact = value.facts[i] as Obj;
      if (!isObj(fact) || typeof fact.title !== 'string' || typeof fact.value !== 'string')
        return `${path}.facts[${i}]: title and value must be strings`;
    }
  }
  return undefined;
}

export function validateTeamsPayload(rawBody: string): TeamsProblem | undefined {
  const bytes = Buffer.byteLength(rawBody, 'utf8');
  if (bytes > TEAMS_MAX_BYTES) return { status: 413, detail: `payload is ${bytes} bytes, at most ${TEAMS_MAX_BYTES}` };
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { status: 400, detail: 'body is not JSON' };
  }
  if (!isObj(body) || body.type !== 'message') return { status: 400, detail: 'type: must be "message"' };
  if (!Array.isArray(body.attachments) || body.attachments.length === 0)
    return { status: 400, detail: 'attachments: at least one card' };
  for (let i = 0; i < body.attachments.length; i++) {
    const attachment = body.attachments[i] as Obj;
    const path = `attachments[${i}]`;
    if (!isObj(attachment) || attachment.contentType !== CARD_TYPE)
      return { status: 400, detail: `${path}.contentType: must be ${CARD_TYPE}` };
    const card = attachment.content;
    if (!isObj(card) || card.type !== 'AdaptiveCard')
      return { status: 400, detail: `${path}.content.type: must be AdaptiveCard` };
    if (!versionOk(card.version)) return { status: 400, detail: `${path}.content.version: must be 1.5 or lower` };
    if (!Array.isArray(card.body)) return { status: 400, detail: `${path}.content.body: must be an array` };
    for (let j = 0; j < card.body.length; j++) {
      const problem = element(card.body[j], `${path}.content.body[${j}]`);
      if (problem) return { status: 400, detail: problem };
    }
  }
  return undefined;
}
