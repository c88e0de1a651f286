import fc from 'fast-check';
import { createLogger, REDACTED } from './logger';
import { knownSecrets, MIN_SECRET_LENGTH, SCRUBBED, SecretRegistry } from './secret-registry';

describe('SecretRegistry', () => {
  it('scrubs every occurrence of every registered value, longest first', () => {
    const registry = new SecretRegistry();
    registry.add('tok_12345678');
    registry.add('tok_12345678_longer');
    registry.add('short');
    expect(registry.scrub('a tok_12345678 b tok_12345678_longer c tok_12345678')).toBe(
      `a ${SCRUBBED} b ${SCRUBBED} c ${SCRUBBED}`,
    );
    // Values under MIN_SECRET_LENGTH are not registered: they would match ordinary words.
    expect(registry.scrub('short')).toBe('short');
    expect(registry.size).toBe(2);
  });

  it('removes any registered value from any text, and leaves text without one unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: MIN_SECRET_LENGTH, maxLength: 40 }), { minLength: 1, maxLength: 20 }),
        fc.string(),
        fc.string(),
        fc.nat(),
        (secrets, before, after, pick) => {
          const registry = new SecretRegistry();
          for (const secret of secrets) registry.add(secret);
          const secret = secrets[pick % secrets.length]!;
          expect(registry.scrub(`${before}${secret}${after}`)).not.toContain(secret);
          const clean = 'nothing-registered-here\u0001';
          if (!secrets.some((value) => clean.includes(value))) expect(registry.scrub(clean)).toBe(clean);
        },
      ),
    );
  });

  it('forgets the oldest values past its bound', () => {
    const registry = new SecretRegistry(3);
    for (const value of ['value-0001', 'value-0002', 'value-0003', 'value-0004']) registry.add(value);
    expect(registry.size).toBe(3);
    expect(registry.scrub('value-0001 value-0004')).toBe(`value-0001 ${SCRUBBED}`);
  });
});

describe('logger with known secrets', () => {
  afterEach(() => knownSecrets.clear());

  it('scrubs registered values from the message, field values, arrays and error messages', () => {
    const token = 'ya29.echoed-access-token-5f2c';
    knownSecrets.add(token);
    const lines: string[] = [];
    for (const format of ['json', 'pretty'] as const) {
      const logger = createLogger({ level: 'debug', format, sink: (line) => lines.push(line) });
      const error = new Error(`provider answered 401: {"error":"invalid token ${token}"}`);
      logger.error(`call failed with ${token}`, {
        error,
        body: `echo ${token}`,
        nested: { list: [token, { deep: { deeper: { deepest: token } } }] },
      });
    }
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(token);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: `call failed with ${SCRUBBED}`, body: `echo ${SCRUBBED}` });
    expect(SCRUBBED).toBe(REDACTED);
  });
});
