/** Percentiles and the ratio table every bench prints: the figure beside its baseline from the same run. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  perSecond: number;
}

export function summarize(samplesMs: readonly number[], wallMs: number): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), perSecond: (sorted.length / wallMs) * 1000 };
}

/**
 * A customer every `gapMs`: `request` (its own time in ms) again and again until `until()`
 * says so or `max` samples are in (bounded: a kiosk's hourly cap is 10,000), summarised.
 */
export async function pacedSamples(request: () => Promise<number>, until: () => boolean, max: number, gapMs = 50): Promise<LatencySummary> {
  const samples: number[] = [];
  const started = performance.now();
  while (!until() && samples.length < max) {
    samples.push(await request());
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return summarize(samples, performance.now() - started);
}

export interface BenchRow {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  goal?: string;
  met?: boolean;
}

export function printTable(rows: readonly BenchRow[]): void {
  const fmt = (v: number | undefined) => (v === undefined ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(['bench', 'metric', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met'].join('\t'));
  for (const r of rows) {
    console.log([r.bench, r.metric, fmt(r.value), r.unit, fmt(r.baseline), fmt(r.ratio), r.goal ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO'].join('\t'));
  }
}
