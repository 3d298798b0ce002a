import { startHttpBenchApp } from './http-bench-app';
import { percentile, type BenchRow } from './stats';

/**
 * No account enumeration (DESIGN §6): 「サポートメール依頼」 for an existing JSA-ID + email
 * (match) and for pairs that do not exist (an unknown JSA-ID, a known JSA-ID with the wrong
 * email: no match), through the HTTP transport with the mail worker running, interleaved so
 * drift hits both alike. Goal: medians differ by under 5 ms, and every body is identical.
 */
export async function benchEnumeration(options: { requests: number }): Promise<BenchRow[]> {
  const n = options.requests;
  const { app, base, headers, close } = await startHttpBenchApp({ prefix: 'webdesk-bench-enum-', accounts: n * 2, mailWorker: true });
  const id = (k: number) => `9${String(k).padStart(10, '0')}`;

  const bodies = new Set<string>();
  const timed = async (body: object): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${base}/api/call/reset.request`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    const ms = performance.now() - started;
    bodies.add(`${res.status} ${text}`);
    return ms;
  };

  // Warm-up on accounts the measured run does not use.
  for (let k = n + 1; k <= Math.min(2 * n, n + 20); k += 1) {
    await timed({ jsaId: id(k), email: `user${k}@example.jp`, locale: 'ja' });
    await timed({ jsaId: `8${String(k).padStart(10, '0')}`, email: `user${k}@example.jp`, locale: 'ja' });
  }
  bodies.clear();

  const match: number[] = [];
  const noMatch: number[] = [];
  for (let k = 1; k <= n; k += 1) {
    // Alternate which goes first, so neither side always follows the other's mail work.
    const m = () => timed({ jsaId: id(k), email: `user${k}@example.jp`, locale: 'ja' });
    const x = () => timed(k % 4 < 2 ? { jsaId: `8${String(k).padStart(10, '0')}`, email: `user${k}@example.jp`, locale: 'ja' } : { jsaId: id(k), email: `other${k}@example.jp`, locale: 'ja' });
    if (k % 2 === 0) {
      match.push(await m());
      noMatch.push(await x());
    } else {
      noMatch.push(await x());
      match.push(await m());
    }
  }
  await app.mailWorker.drainOnce();

  await close();
  const sortedMatch = [...match].sort((a, b) => a - b);
  const sortedNoMatch = [...noMatch].sort((a, b) => a - b);
  const p50Match = percentile(sortedMatch, 50);
  const p50NoMatch = percentile(sortedNoMatch, 50);
  const diff = Math.abs(p50Match - p50NoMatch);
  return [
    { bench: 'enumeration', metric: `p50 match (n=${n})`, value: p50Match, unit: 'ms', baseline: p50NoMatch, ratio: p50Match / p50NoMatch },
    { bench: 'enumeration', metric: `p95 match (n=${n})`, value: percentile(sortedMatch, 95), unit: 'ms', baseline: percentile(sortedNoMatch, 95), ratio: percentile(sortedMatch, 95) / percentile(sortedNoMatch, 95) },
    { bench: 'enumeration', metric: '|p50 match - p50 no match|', value: diff, unit: 'ms', goal: '< 5 ms', met: diff < 5 },
    { bench: 'enumeration', metric: 'distinct answer bodies', value: bodies.size, unit: 'bodies', goal: '= 1', met: bodies.size === 1 },
  ];
}
