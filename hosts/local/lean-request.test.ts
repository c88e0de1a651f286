import fc from 'fast-check';
import { HttpRequest, InvocationContext, input, output } from '@azure/functions';
import { LeanHttpRequest, LeanInvocationContext } from './lean-request';

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,40}[!-~])?$/);

function both(init: {
  method: string;
  url: string;
  headers: Record<string, string>;
  params?: Record<string, string>;
  body?: { bytes: Buffer };
}) {
  return { lean: new LeanHttpRequest(init), full: new HttpRequest(init) };
}

describe('LeanHttpRequest', () => {
  it('answers like the @azure/functions HttpRequest for headers, query, params and the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(headerName, headerValue, { maxKeys: 12 }),
        fc.uint8Array({ maxLength: 2000 }),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,6}$/), { maxKeys: 3 }),
        async (headers, body, query) => {
          const url = `http://localhost:7071/api/webhooks/github/i-1?${new URLSearchParams(query).toString()}`;
          const init = {
            method: 'POST',
            url,
            headers,
            params: { provider: 'github', integrationId: 'i-1' },
            body: { bytes: Buffer.from(body) },
          };
          const { lean, full } = both(init);
          expect([...lean.headers.entries()]).toEqual([...full.headers.entries()]);
          for (const name of Object.keys(headers))
            expect(lean.headers.get(name.toUpperCase())).toBe(full.headers.get(name));
          expect(lean.headers.get('x-not-there')).toBeNull();
          expect([...lean.query.entries()]).toEqual([...full.query.entries()]);
          expect([lean.method, lean.url, lean.params]).toEqual([full.method, full.url, full.params]);
          expect(Buffer.from(await lean.arrayBuffer())).toEqual(Buffer.from(await full.arrayBuffer()));
          expect([lean.bodyUsed, full.bodyUsed]).toEqual([true, true]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reads the body once, as a Request does, and clones with an unread body', async () => {
    const { lean } = both({
      method: 'POST',
      url: 'http://localhost/api/x',
      headers: { 'content-type': 'application/json' },
      body: { bytes: Buffer.from('{"a":1}') },
    });
    const copy = lean.clone();
    await expect(lean.json()).resolves.toEqual({ a: 1 });
    await expect(lean.text()).rejects.toThrow(TypeError);
    await expect(copy.text()).resolves.toBe('{"a":1}');
  });

  it('serves the rarely used members through a full request', async () => {
    const form = 'a=1&b=two';
    const { lean, full } = both({
      method: 'POST',
      url: 'http://localhost/api/x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: { bytes: Buffer.from(form) },
    });
    expect((await lean.formData()).get('b')).toBe((await full.formData()).get('b'));
    expect(lean.user).toBeNull();
    const empty = new LeanHttpRequest({ method: 'POST', url: 'http://localhost/api/x', headers: {} });
    await expect(empty.text()).resolves.toBe('');
  });
});

describe('LeanHttpRequest bodies and headers over time', () => {
  it('hands over a body that fills its own buffer, and a clone keeps the bytes it was made with', async () => {
    const bytes = Buffer.allocUnsafeSlow(3);
    bytes.write('abc');
    const lean = new LeanHttpRequest({ method: 'POST', url: 'http://localhost/x', headers: {}, body: { bytes } });
    const copy = lean.clone();
    const handedOver = new Uint8Array(await lean.arrayBuffer());
    handedOver[0] = 0x7a;
    await expect(copy.text()).resolves.toBe('abc');
  });

  it('copies a body that is a slice of a larger buffer', async () => {
    const pool = Buffer.from('xxabcxx');
    const lean = new LeanHttpRequest({
      method: 'POST',
      url: 'http://localhost/x',
      headers: {},
      body: { bytes: pool.subarray(2, 5) },
    });
    const body = await lean.arrayBuffer();
    expect([body.byteLength, Buffer.from(body).toString()]).toEqual([3, 'abc']);
  });

  it('iterates headers sorted, also after they change', () => {
    const lean = new LeanHttpRequest({ method: 'GET', url: 'http://localhost/x?a=1', headers: { b: '2', a: '1' } });
    expect([...lean.headers.keys()]).toEqual(['a', 'b']);
    lean.headers.set('C', '3');
    lean.headers.append('a', '4');
    lean.headers.delete('b');
    expect([...lean.headers.entries()]).toEqual([
      ['a', '1, 4'],
      ['c', '3'],
    ]);
  });

  it('answers the query from a URL the host parsed already', () => {
    const url = new URL('http://localhost/x?secret=s1');
    expect(
      new LeanHttpRequest({ method: 'GET', url: url.toString(), headers: {} }, url.searchParams).query.get('secret'),
    ).toBe('s1');
  });
});

describe('LeanInvocationContext', () => {
  it('answers like the @azure/functions InvocationContext: ids, options, extra inputs and outputs, logging', () => {
    const lean = new LeanInvocationContext('inv-1', 'WebhookReceiver');
    const full = new InvocationContext({ invocationId: 'inv-1', functionName: 'WebhookReceiver' });
    for (const context of [lean, full]) {
      expect(context.invocationId).toBe('inv-1');
      expect(context.functionName).toBe('WebhookReceiver');
      expect(context.options.extraInputs).toEqual([]);
      expect(context.options.extraOutputs).toEqual([]);
      const blob = input.generic({ type: 'blob', name: 'archive' });
      context.extraInputs.set(blob, 'value');
      expect(context.extraInputs.get('archive')).toBe('value');
      const queue = output.generic({ type: 'queue', name: 'next' });
      context.extraOutputs.set(queue, 42);
      expect(context.extraOutputs.get(queue)).toBe(42);
    }
    const logged = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      lean.info('hello', 1);
      full.info('hello', 1);
      expect(logged.mock.calls).toEqual([
        ['hello', 1],
        ['hello', 1],
      ]);
    } finally {
      logged.mockRestore();
    }
  });
});
