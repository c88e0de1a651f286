/**
 * What Slack checks on a message, as the sandbox enforces it: text or blocks, at most 50 blocks, header text
 * ≤ 150 (plain_text), section text ≤ 3,000, ≤ 10 fields of ≤ 2,000, context ≤ 10 elements, block_id ≤ 255,
 * top-level text ≤ 40,000. The error words are Slack's (no_text, invalid_blocks, msg_too_long).
 */
export interface SlackProblem {
  error: 'no_text' | 'invalid_blocks' | 'msg_too_long' | 'invalid_payload';
  detail: string;
}

const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);
const BLOCK_TYPES = new Set(['header', 'section', 'context', 'divider', 'actions', 'image', 'rich_text']);

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

function textObject(value: unknown, path: string, max: number, plainOnly = false): string | undefined {
  if (!isObj(value)) return `${path}: must be a text object`;
  if (typeof value.type !== 'string' || !TEXT_TYPES.has(value.type) || (plainOnly && value.type !== 'plain_text'))
    return `${path}.type: must be ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'}`;
  if (typeof value.text !== 'string' || value.text.length === 0) return `${path}.text: must be a non-empty string`;
  if (value.text.length > max) return `${path}.text: more than ${max} characters`;
  return undefined;
}

function block(value: unknown, path: string): string | undefined {
  if (!isObj(value) || typeof value.type !== 'string' || !BLOCK_TYPES.has(value.type))
    return `${path}.type: unknown block type`;
  if (value.block_id !== undefined && (typeof value.block_id !== 'string' || value.block_id.length > 255))
    return `${path}.block_id: more than 255 characters`;
  switch (value.type) {
    case 'header':
      return textObject(value.text, `${path}.text`, 150, true);
    case 'section': {
      if (value.text === undefined && value.fields === undefined) return `${path}: needs text or fields`;
      if (value.text !== undefined) {
        const problem = textObject(value.text, `${path}.text`, 3000);
        if (problem) return problem;
      }
      if (value.fields !== undefined) {
        if (!Array.isArray(value.fields) || value.fields.length === 0 || value.fields.length > 10)
          return `${path}.fields: 1 to 10 items`;
        for (let i = 0; i < value.fields.length; i++) {
          const problem = textObject(value.fields[i], `${path}.fields[${i}]`, 2000);
          if (problem) return problem;
        }
      }
      return undefined;
    }
    case 'context': {
      if (!Array.isArray(value.elements) || value.elements.length === 0 || value.elements.length > 10)
        return `${path}.elements: 1 to 10 items`;
      for (let i = 0; i < value.elements.length; i++) {
        const element = value.elements[i] as Obj;
        if (isObj(element) && element.type === 'image') continue;
        const problem = textObject(element, `${path}.elements[${i}]`, 3000);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function validateSlackMessage(body: unknown): SlackProblem | undefined {
  if (!isObj(body)) return { error: 'invalid_payload', detail: 'body must be a JSON object' };
  const { text, blocks } = body;
  if (text !== undefined && typeof text !== 'string')
    return { error: 'invalid_payload', detail: 'text: must be a string' };
  if (typeof text === 'string' && text.length > 40_000)
    return { error: 'msg_too_long', detail: 'text: more than 40000 characters' };
  if (blocks === undefined) return text ? undefined : { error: 'no_text', detail: 'text or blocks is required' };
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks', detail: 'blocks: must be an array' };
  if (blocks.length === 0 && !text) return { error: 'no_text', detail: 'text or blocks is required' };
  if (blocks.length > 50) return { error: 'invalid_blocks', detail: `blocks: ${blocks.length} blocks, at most 50` };
  for (let i = 0; i < blocks.length; i++) {
    const problem = block(blocks[i], `blocks[${i}]`);
    if (problem) return { error: 'invalid_blocks', detail: problem };
  }
  return undefined;
}
