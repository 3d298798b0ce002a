import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { loadConfig } from '../src-main/app/config';
import { createApp } from '../src-main/app/create-app';
import { createHttpTransport } from '../src-main/transport/http';
import { percentile, type BenchRow } from './stats';

const root = join(__dirname, '..', '..');
const rendererDir = join(root, 'dist', 'renderer');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/**
 * The renderer as a kiosk loads it (issue 8): the gzipped size of what the page downloads
 * (source maps left out; fonts counted separately, they are already compressed), and the
 * time from navigation until トップ's 「ログインへ」 can be pressed, in Debian's Chromium against
 * web mode, each run in a fresh browser context (empty cache). Baseline of the time: a
 * one-button page served through the same browser and context set-up.
 */
export async function benchRenderer(options: { loads: number }): Promise<BenchRow[]> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('renderer bench: npm run build failed');
  }
  const shipped = files(rendererDir).filter((f) => extname(f) !== '.map');
  const code = shipped.filter((f) => ['.js', '.css', '.html'].includes(extname(f)));
  const fonts = shipped.filter((f) => ['.woff', '.woff2'].includes(extname(f)));
  const raw = code.reduce((sum, f) => sum + statSync(f).size, 0);
  const gzipped = code.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const fontBytes = fonts.filter((f) => f.endsWith('.woff2')).reduce((sum, f) => sum + statSync(f).size, 0);
  const rows: BenchRow[] = [
    { bench: 'renderer', metric: 'JS+CSS+HTML gzipped', value: gzipped / 1024, unit: 'KiB', baseline: raw / 1024, ratio: gzipped / raw },
    { bench: 'renderer', metric: `fonts shipped (woff2, ${fonts.filter((f) => f.endsWith('.woff2')).length} subsets, fetched per unicode-range)`, value: fontBytes / 1024, unit: 'KiB' },
  ];
  if (!existsSync(chromiumPath)) {
    console.log(`renderer bench: no Chromium at ${chromiumPath}; time to interactive not measured`);
    return rows;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'webdesk-bench-renderer-'));
  const app = await createApp(loadConfig({ WEBDESK_DATA_DIR: dataDir, WEBDESK_LOG_LEVEL: 'silent', WEBDESK_MODE: 'kiosk' }), {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { logN: 10, r: 8, p: 1 },
    startMailWorker: false,
  });
  const http = createHttpTransport({
    dispatch: app.dispatch,
    sessions: app.sessions,
    timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
    staticDir: rendererDir,
  });
  const base = `http://127.0.0.1:${await http.listen(0)}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const load = async (url: string, ready: (page: import('@playwright/test').Page) => Promise<void>, route?: string) => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    if (route) await context.route(url, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: route }));
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await ready(page);
    const ms = performance.now() - started;
    await context.close();
    return ms;
  };
  try {
    const top = (page: import('@playwright/test').Page) => page.getByRole('button', { name: 'ログインへ' }).click({ trial: true });
    const plain = (page: import('@playwright/test').Page) => page.getByRole('button', { name: 'ok' }).click({ trial: true });
    await load(base, top); // warm-up: the OS file cache, the server's first answer
    const app_: number[] = [];
    const blank: number[] = [];
    for (let i = 0; i < options.loads; i += 1) {
      app_.push(await load(base, top));
      blank.push(await load(`${base}/baseline`, plain, '<!doctype html><html lang="ja"><title>b</title><button>ok</button></html>'));
    }
    app_.sort((a, b) => a - b);
    blank.sort((a, b) => a - b);
    const p50 = percentile(app_, 50);
    rows.push(
      { bench: 'renderer', metric: `トップ interactive p50 (${options.loads} cold loads)`, value: p50, unit: 'ms', baseline: percentile(blank, 50), ratio: p50 / percentile(blank, 50) },
      { bench: 'renderer', metric: 'トップ interactive p95', value: percentile(app_, 95), unit: 'ms', baseline: percentile(blank, 95), ratio: percentile(app_, 95) / percentile(blank, 95) },
    );
  } finally {
    await browser.close();
    await http.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
