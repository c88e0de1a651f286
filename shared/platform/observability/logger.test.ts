import { createMemoryLogger, REDACTED } from './logger';
import { continueTrace } from './correlation';

describe('logger', () => {
  it('redacts secret-looking fields at any depth and keeps the rest', () => {
    const { logger, lines } = createMemoryLogger();
    logger.child({ integrationId: 'i-1' }).info('refreshed', {
      accessToken: 'tok-123',
      nested: { clientSecret: 's3cr3t', count: 2 },
      apiKey: 'k',
      Authorization: 'Bearer x',
    });
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 'info',
      message: 'refreshed',
      integrationId: 'i-1',
      accessToken: REDACTED,
      nested: { clientSecret: REDACTED, count: 2 },
      apiKey: REDACTED,
      Authorization: REDACTED,
    });
    expect(lines[0]).not.toMatch(/tok-123|s3cr3t|Bearer x/);
  });

  it('logs errors by name, message and code, without causes', () => {
    const { logger, lines } = createMemoryLogger();
    const error = Object.assign(new Error('boom', { cause: new Error('password=hunter2') }), { code: 'transient' });
    logger.error('failed', { error });
    expect(JSON.parse(lines[0]!).error).toEqual({ name: 'Error', message: 'boom', code: 'transient' });
    expect(lines[0]).not.toContain('hunter2');
  });

  it('drops lines below the level', () => {
    const { logger, lines } = createMemoryLogger('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
  });
});

describe('trace context', () => {
  it('continues a valid traceparent and starts a new trace otherwise', () => {
    const continued = continueTrace('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(continued.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(continued.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    for (const bad of [undefined, '', 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01']) {
      expect(continueTrace(bad).traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(continueTrace(bad).traceId).not.toBe('00000000000000000000000000000000');
    }
  });
});
