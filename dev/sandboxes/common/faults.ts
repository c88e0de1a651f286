/**
 * Fault injection: the next N matching requests get a 429, a 5xx, a slow or no answer, or a cut-off body; with a
 * probability, a random share of them does (a storm), each request drawn on its own.
 */
import type { FaultSpec } from './types';

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultInjector {
  private faults: ArmedFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  inject(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: Math.max(1, spec.count ?? 1) });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): FaultSpec[] {
    return this.faults.map((fault) => ({ ...fault.spec, count: fault.remaining }));
  }

  /** The first armed fault that matches (and, for a storm, whose draw hits), consumed by one; undefined when the request should go through. */
  take(method: string, path: string): FaultSpec | undefined {
    const fault = this.faults.find((candidate) => {
      const { spec } = candidate;
      if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
      if (spec.path && !path.includes(spec.path)) return false;
      return spec.probability === undefined || this.random() < spec.probability;
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault.spec;
  }
}

const KINDS = new Set(['rate_limit', 'server_error', 'slow', 'timeout', 'truncated']);

/** Validates a fault from the admin endpoint; returns an error message or the spec. */
export function parseFault(input: unknown): FaultSpec | string {
  if (!input || typeof input !== 'object') return 'body must be a JSON object';
  const value = input as Record<string, unknown>;
  if (typeof value.kind !== 'string' || !KINDS.has(value.kind)) return `kind must be one of ${[...KINDS].join(', ')}`;
  if (value.count !== undefined && (typeof value.count !== 'number' || value.count < 1 || value.count > 10_000))
    return 'count must be 1..10000';
  if (value.kind === 'slow' && (typeof value.delayMs !== 'number' || value.delayMs < 0 || value.delayMs > 600_000))
    return 'delayMs must be 0..600000';
  if (value.path !== undefined && typeof value.path !== 'string') return 'path must be a string';
  if (
    value.probability !== undefined &&
    (typeof value.probability !== 'number' || !(value.probability > 0 && value.probability <= 1))
  )
    return 'probability must be more than 0 and at most 1';
  return value as unknown as FaultSpec;
}
