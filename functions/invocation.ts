/**
 * The trace and logger of one invocation: the incoming traceparent continued (or a new trace for timers),
 * and a logger whose every line names the function, the invocation and the trace.
 */
import type { InvocationContext } from '@azure/functions';
import { continueTrace, type TraceContext } from '../shared/platform/observability/correlation';
import type { Logger, LogFields } from '../shared/platform/observability/logger';
import type { AppServices } from '../shared/app/services';

export function invocationScope(
  services: Pick<AppServices, 'logger'>,
  context: InvocationContext,
  traceparent?: string | null,
  fields: LogFields = {},
): { trace: TraceContext; logger: Logger } {
  const trace = continueTrace(traceparent);
  return {
    trace,
    logger: services.logger.child({
      function: context.functionName,
      invocationId: context.invocationId,
      traceId: trace.traceId,
      ...fields,
    }),
  };
}
