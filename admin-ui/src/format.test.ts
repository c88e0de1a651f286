import { relativeTime, shortRunId } from './format';

describe('relativeTime', () => {
  const now = Date.parse('2026-03-01T12:00:00.000Z');
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

  it('reads a time under half a second ago as the past, not the future', () => {
    expect(relativeTime(at(-400), now)).toBe('just now');
    expect(relativeTime(at(-1), now)).toBe('just now');
    expect(relativeTime(at(0), now)).toBe('just now');
    expect(relativeTime(at(400), now)).toBe('in a moment');
  });

  it('says minutes, hours and days either way', () => {
    expect(relativeTime(at(-3 * 60_000), now)).toBe('3 min ago');
    expect(relativeTime(at(2 * 3600_000), now)).toBe('in 2 h');
    expect(relativeTime(at(-2 * 86_400_000), now)).toBe('2 d ago');
  });
});

describe('shortRunId', () => {
  it('keeps scheduled runs of one integration apart by their slot', () => {
    const integrationId = 'de0c1f9a-1111-4222-8333-944455556666';
    const a = shortRunId(`sched-${integrationId}-1767225600000`, integrationId);
    const b = shortRunId(`sched-${integrationId}-1767229200000`, integrationId);
    expect(a).toBe('sched-…-1767225600000');
    expect(b).toBe('sched-…-1767229200000');
    expect(a).not.toBe(b);
  });

  it('shows other ids whole', () => {
    expect(shortRunId('7d7c1f9a-aaaa-4bbb-8ccc-9ddddeeeefff', 'x')).toBe('7d7c1f9a-aaaa-4bbb-8ccc-9ddddeeeefff');
    expect(shortRunId('sched-demo-github-1767225600000')).toBe('sched-demo-github-1767225600000');
  });
});
