import { startHttpBenchApp } from './http-bench-app';
import { summarize, type BenchRow } from './stats';

/**
 * One reset request through the HTTP transport (hashing is not part of a request), against
 * a call that does nothing (app.info) through the same transport, same process, same run.
 * Match and no-match requests alternate; limits are raised so none is refused.
 */
export async function benchResetRequest(options: { requests: number }): Promise<BenchRow[]> {
  const { base, headers, close } = await startHttpBenchApp({ prefix: 'webdesk-bench-', accounts: options.requests, mailWorker: false });
  const call = async (name: string, body: unknown) => {
    const started = performance.now();
    const response = await fetch(`${base}/api/call/${name}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await response.json()) as { ok: boolean };
    if (!json.ok) throw new Error(`${name} failed: ${JSON.stringify(json)}`);
    return performance.now() - started;
  };

  const measure = async (make: (i: number) => [string, unknown]) => {
    for (let i = 0; i < 20; i += 1) await call(...make(i)); // warm-up
    const samples: number[] = [];
    const started = performance.now();
    for (let i = 0; i < options.requests; i += 1) samples.push(await call(...make(i)));
    return summarize(samples, performance.now() - started);
  };

  const noop = await measure(() => ['app.info', {}]);
  const reset = await measure((i) => {
    const n = (i % options.requests) + 1;
    const jsaId = `9${String(n).padStart(10, '0')}`;
    // Even: a registered pair (match); odd: a wrong email (no match).
    return ['reset.request', { jsaId, email: i % 2 === 0 ? `user${n}@example.jp` : `nobody${n}@example.jp`, locale: 'ja' }];
  });

  await close();
  return [
    { bench: 'reset-request', metric: 'p50', value: reset.p50, unit: 'ms', baseline: noop.p50, ratio: reset.p50 / noop.p50 },
    { bench: 'reset-request', metric: 'p95', value: reset.p95, unit: 'ms', baseline: noop.p95, ratio: reset.p95 / noop.p95, goal: '< 30 ms', met: reset.p95 < 30 },
    { bench: 'reset-request', metric: 'throughput', value: reset.perSecond, unit: 'req/s', baseline: noop.perSecond, ratio: reset.perSecond / noop.perSecond },
  ];
}
