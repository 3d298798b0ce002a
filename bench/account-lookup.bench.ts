import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src-main/app/create-app';
import { loadConfig } from '../src-main/app/config';
import { findAccountById } from '../src-main/store/accounts-repo';
import { refreshStaleSearchRows } from '../src-main/store/account-search-repo';
import { toHiragana } from 'wanakana';
import { addSyntheticAccounts, syntheticAccount } from '../src-main/services/synthetic-accounts';
import { summarize, type BenchRow } from './stats';

/**
 * Staff lookup (staff.accounts.search through app.dispatch: role check, zod, the folded
 * index, lock flags) over N synthetic accounts, against a plain primary-key lookup of one
 * account in the same store and run. The queries mix every kind a clerk types: a full-width
 * JSA-ID, an e-mail, a name with a full-width space, a company in hiragana without its legal form, a two-character fragment, a phone's last digits.
 */
export async function benchAccountLookup(options: { accounts: number; lookups: number }): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'webdesk-bench-lookup-'));
  const app = await createApp(loadConfig({ WEBDESK_DATA_DIR: dataDir, WEBDESK_LOG_LEVEL: 'silent', WEBDESK_KIOSK_ID: 'bench' }), {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { logN: 10, r: 8, p: 1 },
    startMailWorker: false,
  });
  try {
    let started = performance.now();
    await addSyntheticAccounts(app.db, app.clock, options.accounts);
    const seedMs = performance.now() - started;
    started = performance.now();
    await refreshStaleSearchRows(app.db);
    const foldMs = performance.now() - started;

    // A logged-in agent's session, made the way staff.login makes it.
    const session = app.sessions.create();
    const adminId = ((await app.db('staff_users').first('id')) as { id: string }).id;
    app.sessions.loginStaff(session, adminId, 'admin', false);
    await app.db('staff_users').where({ id: adminId }).update({ must_change_password: 0 });
    const ctx = { session, transport: 'http' as const, actor: `staff:${adminId}` };

    const ids = ((await app.db('accounts').select('id').limit(1000)) as Array<{ id: string }>).map((r) => r.id);
    const n = (i: number) => 1 + ((i * 7919) % options.accounts);
    const toFullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const queries = [
      (i: number) => ({ query: toFullWidth(`9${String(n(i)).padStart(10, '0')}`) }),
      (i: number) => ({ query: `USER${n(i)}@example.jp` }),
      (i: number) => ({ query: syntheticAccount(n(i), '').contact_name.replace(' ', '　') }),
      (i: number) => ({ query: toHiragana(syntheticAccount(n(i), '').company.replace(/^(株式会社|有限会社|合同会社)/, '')) }),
      (i: number) => ({ query: String(n(i) % 10000).padStart(4, '0'), field: 'phone' as const }),
      () => ({ query: 'ためし' }),
      () => ({ query: '精機4' }),
    ];

    const measure = async (fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 30; i += 1) await fn(i);
      const samples: number[] = [];
      const wall = performance.now();
      for (let i = 0; i < options.lookups; i += 1) {
        const t = performance.now();
        await fn(i);
        samples.push(performance.now() - t);
      }
      return summarize(samples, performance.now() - wall);
    };
    const baseline = await measure((i) => findAccountById(app.db, ids[i % ids.length]!));
    let hits = 0;
    const perKind = new Map<number, number[]>();
    const lookup = await measure(async (i) => {
      const t = performance.now();
      const result = await app.dispatch('staff.accounts.search', queries[i % queries.length]!(i), ctx);
      if (!result.ok) throw new Error(`search failed: ${JSON.stringify(result.error)}`);
      if ((result.value as { total: number }).total > 0) hits += 1;
      else if (process.env.BENCH_DEBUG) console.log('miss', JSON.stringify(queries[i % queries.length]!(i)));
      perKind.set(i % queries.length, [...(perKind.get(i % queries.length) ?? []), performance.now() - t]);
    });
    if (process.env.BENCH_DEBUG) {
      for (const [kind, samples] of perKind) console.log('kind', JSON.stringify(queries[kind]!(0)), summarize(samples, 1));
    }
    if (hits < options.lookups) throw new Error(`only ${hits} of ${options.lookups} lookups found something`);
    const label = `lookup over ${options.accounts} accounts`;
    return [
      { bench: label, metric: 'seed (insert)', value: seedMs / 1000, unit: 's' },
      { bench: label, metric: 'fold index (first search)', value: foldMs / 1000, unit: 's' },
      { bench: label, metric: 'p50', value: lookup.p50, unit: 'ms', baseline: baseline.p50, ratio: lookup.p50 / baseline.p50 },
      { bench: label, metric: 'p95', value: lookup.p95, unit: 'ms', baseline: baseline.p95, ratio: lookup.p95 / baseline.p95, goal: '< 20 ms', met: lookup.p95 < 20 },
    ];
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
