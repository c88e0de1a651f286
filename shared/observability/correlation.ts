/**
 * Correlation across triggers: a W3C `traceparent` travels from the HTTP request or timer through every
 * queue message (application property `traceparent`) to the last write, so one run can be followed end to end.
 */
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

function make(traceId: string): TraceContext {
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** Continue the trace of an incoming traceparent (a new span), or start a new trace when absent or invalid. */
export function continueTrace(traceparent: string | undefined | null): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (match && !/^0+$/.test(match[1]!)) return make(match[1]!);
  return make(randomBytes(16).toString('hex'));
}
