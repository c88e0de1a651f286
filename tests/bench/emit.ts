/** One JSON line per benchmark figure, the format every benchmark prints. */
export function emit(bench: string, metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ bench, metric, value: Math.round(value * 100) / 100, unit }));
}

/** Median and percentiles of a list of numbers (the list is sorted in place). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  const index = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[index]!;
}
