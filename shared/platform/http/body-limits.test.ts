import fc from 'fast-check';
import { exceedsJsonDepth, MAX_JSON_DEPTH, readLimitedText } from './body-limits';
import { readJson } from './responses';

/** Nesting depth of a parsed value, computed on the value (the reference for the text scanner). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

const streamOf = (chunks: Uint8Array[]): ReadableStream<Uint8Array> & { pulled: () => number } => {
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else controller.close();
    },
  });
  return Object.assign(stream, { pulled: () => index });
};

describe('JSON nesting limit', () => {
  it('agrees with the parsed depth for any JSON, brackets inside strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(exceedsJsonDepth(text, limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses 100,000 levels under the body limit with a 400 naming the body, and takes 64', async () => {
    const request = (text: string) => ({ text: async () => text, headers: { get: () => null } });
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    await expect(readJson(request(deep), 256 * 1024)).rejects.toMatchObject({ httpStatus: 400, target: 'body' });
    const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    await expect(readJson(request(ok), 256 * 1024)).resolves.toBeDefined();
    await expect(readJson(request(`{"a":"${'['.repeat(1000)}"}`), 256 * 1024)).resolves.toEqual({
      a: '['.repeat(1000),
    });
  });
});

describe('streamed body limit', () => {
  it('stops at the chunk that passes the limit: the rest is never pulled (413)', async () => {
    const stream = streamOf(Array.from({ length: 100 }, () => new Uint8Array(1024)));
    await expect(readLimitedText(stream, 10 * 1024)).rejects.toMatchObject({ httpStatus: 413 });
    expect(stream.pulled()).toBeLessThanOrEqual(12);
  });

  it('reads a body within the limit whole, and readJson refuses a declared length over it before reading', async () => {
    expect(await readLimitedText(streamOf([Buffer.from('{"a":'), Buffer.from('1}')]), 7)).toBe('{"a":1}');
    let read = false;
    const request = {
      text: async () => ((read = true), '{}'),
      headers: { get: (name: string) => (name === 'content-length' ? String(27 * 1024 * 1024) : null) },
    };
    await expect(readJson(request, 256 * 1024)).rejects.toMatchObject({ httpStatus: 413 });
    expect(read).toBe(false);
  });
});
