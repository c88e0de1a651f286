import { FaultInjector, parseFault } from './faults';

/** A fixed sequence of draws, repeated. */
const draws = (values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length]!;
};

describe('fault storms', () => {
  it('gives a storm fault to the requests whose draw falls under its probability, until its count is used', () => {
    const faults = new FaultInjector(draws([0.1, 0.9, 0.2, 0.8]));
    faults.inject({ kind: 'server_error', status: 502, probability: 0.5, count: 3, path: '/issues' });
    const answers = Array.from(
      { length: 8 },
      () => faults.take('GET', '/repos/acme/widgets/issues')?.kind ?? 'through',
    );
    expect(answers).toEqual([
      'server_error',
      'through',
      'server_error',
      'through',
      'server_error',
      'through',
      'through',
      'through',
    ]);
    expect(faults.pending()).toEqual([]);
  });

  it('draws each storm in turn: a request one storm spares may get the next', () => {
    const faults = new FaultInjector(draws([0.9, 0.1, 0.1]));
    faults.inject({ kind: 'rate_limit', probability: 0.2, count: 10 });
    faults.inject({ kind: 'server_error', probability: 0.2, count: 10 });
    expect(faults.take('GET', '/x')?.kind).toBe('server_error');
    expect(faults.take('GET', '/x')?.kind).toBe('rate_limit');
  });

  it('refuses a probability outside (0, 1]', () => {
    expect(parseFault({ kind: 'server_error', probability: 0 })).toMatch(/probability/);
    expect(parseFault({ kind: 'server_error', probability: 1.5 })).toMatch(/probability/);
    expect(parseFault({ kind: 'server_error', probability: '0.5' })).toMatch(/probability/);
    expect(parseFault({ kind: 'server_error', probability: 0.5 })).toMatchObject({ probability: 0.5 });
  });
});
