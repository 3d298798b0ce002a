import { normalizePassword } from '../src-main/domain/password-policy';
import { startHttpBenchApp } from './http-bench-app';
import { percentile, type BenchRow } from './stats';

/**
 * Login timing does not tell which JSA-IDs exist (issue 13, finding 5): the 1st, 2nd and 3rd
 * wrong password for an account with a password, against the same for a JSA-ID on no account,
 * through the HTTP transport with the real growing delay (0 s, 0.25 s, 0.5 s), interleaved so
 * drift hits both alike. Goal: at each step the medians differ by under 5 ms; one answer body.
 */
export async function benchLoginEnumeration(options: { pairs: number }): Promise<BenchRow[]> {
  const n = options.pairs;
  const { app, base, headers, close } = await startHttpBenchApp({ prefix: 'webdesk-bench-login-', accounts: n, mailWorker: false });
  const id = (k: number) => `9${String(k).padStart(10, '0')}`;
  const hash = await app.hasher.hash(normalizePassword('bench-right-password-2026'));
  await app.db('accounts').update({ password_hash: hash, password_changed_at: new Date(app.clock.nowMs() - 60_000).toISOString() });

  const bodies = new Set<string>();
  const timed = async (jsaId: string, attempt: number): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${base}/api/call/account.login`, { method: 'POST', headers, body: JSON.stringify({ jsaId, password: `wrong-guess-${attempt}` }) });
    const text = await res.text();
    bodies.add(`${res.status} ${text}`);
    return performance.now() - started;
  };

  const steps = 3;
  const existing: number[][] = Array.from({ length: steps }, () => []);
  const unknown: number[][] = Array.from({ length: steps }, () => []);
  for (let k = 1; k <= n; k += 1) {
    for (let step = 0; step < steps; step += 1) {
      const e = () => timed(id(k), step).then((ms) => existing[step]!.push(ms));
      const u = () => timed(`8${String(k).padStart(10, '0')}`, step).then((ms) => unknown[step]!.push(ms));
      if ((k + step) % 2 === 0) await e().then(u);
      else await u().then(e);
    }
  }
  await close();

  const rows: BenchRow[] = [];
  let worst = 0;
  for (let step = 0; step < steps; step += 1) {
    const pe = percentile([...existing[step]!].sort((a, b) => a - b), 50);
    const pu = percentile([...unknown[step]!].sort((a, b) => a - b), 50);
    worst = Math.max(worst, Math.abs(pe - pu));
    rows.push({ bench: 'login-enumeration', metric: `p50 wrong password #${step + 1}, existing ID (n=${n})`, value: pe, unit: 'ms', baseline: pu, ratio: pe / pu });
  }
  rows.push({ bench: 'login-enumeration', metric: 'max |p50 existing - p50 unknown|', value: worst, unit: 'ms', goal: '< 5 ms', met: worst < 5 });
  rows.push({ bench: 'login-enumeration', metric: 'distinct answer bodies', value: bodies.size, unit: 'bodies', goal: '= 1', met: bodies.size === 1 });
  return rows;
}
