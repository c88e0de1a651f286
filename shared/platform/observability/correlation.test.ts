import { continueTrace } from './correlation';

describe('continueTrace', () => {
  it('starts traces with distinct, well-formed ids, across pool refills', () => {
    const traces = Array.from({ length: 10_000 }, () => continueTrace(undefined));
    for (const trace of traces) expect(trace.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(traces.length);
    expect(new Set(traces.map((trace) => trace.spanId)).size).toBe(traces.length);
  });

  it('continues an incoming trace with a new span, and replaces an invalid or all-zero one', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const continued = continueTrace(incoming);
    expect(continued.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(continued.spanId).not.toBe('00f067aa0ba902b7');
    expect(continueTrace('00-00000000000000000000000000000000-00f067aa0ba902b7-01').traceId).not.toMatch(/^0+$/);
    expect(continueTrace('garbage').traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
