import { overallHealth } from './overall-health';

const integration = (status: 'ok' | 'failing' | 'stale' | 'needs_reauth' | 'disabled' | 'never_synced') => ({
  health: { status, reason: '' },
});

describe('overallHealth', () => {
  it('is ok only when the dependencies and every enabled integration are', () => {
    expect(
      overallHealth({ status: 'ok' }, [integration('ok'), integration('disabled'), integration('never_synced')]),
    ).toEqual({
      status: 'ok',
      reasons: [],
    });
  });

  it('is failing when integrations fail, whatever the dependencies say', () => {
    expect(
      overallHealth({ status: 'ok' }, [integration('failing'), integration('failing'), integration('ok')]),
    ).toEqual({
      status: 'failing',
      reasons: ['2 of 3 integrations failing'],
    });
  });

  it('names every problem, the worst deciding', () => {
    expect(overallHealth({ status: 'degraded' }, [integration('stale'), integration('needs_reauth')])).toEqual({
      status: 'failing',
      reasons: [
        'dependencies degraded',
        '1 of 2 integrations need to be reconnected',
        '1 of 2 integrations stale (no successful sync within 3 intervals)',
      ],
    });
    expect(overallHealth({ status: 'ok' }, [integration('stale')]).status).toBe('degraded');
  });
});
