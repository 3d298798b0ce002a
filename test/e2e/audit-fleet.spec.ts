// The fleet's audit trail on screen (issue 14 item 6), in web mode against a real central
// PostgreSQL: two other counters' chains are at central (kiosk-north complete, kiosk-south cut
// at the counter after it streamed), this counter streams its own. 同期の状態 shows how far each
// stream has reached; 監査ログ's 「全窓口」 scope lists, filters by counter and exports every
// counter's entries. axe-clean in Japanese and English.
import { readFileSync } from 'node:fs';
import { startCentral, type Central } from '../integration/support/sync-central';
import { expect, test } from './fixtures';
import { chain, streamCounter } from './fleet-audit-support';
import { expectNoAxeViolationsJaEn } from './kiosk-steps';
import { loginAsAdmin, shoot } from './staff-support';

let central: Central;
let kioskUrl: string;

/** Alternating staff lookups and kiosk requests, so the filters have something to tell apart. */
const entry = (kiosk: string) => (seq: number) => ({ actor: seq % 2 ? 'staff:north-1' : 'kiosk', action: seq % 2 ? 'staff.lookup' : 'reset.requested', subject: `${kiosk}-subject-${seq}` });

/** Registers a counter at central and streams its chain, reporting `localSeq` as its own head. */
const streamed = (kiosk: string, entries: number, localSeq: number) => streamCounter(central, kiosk, chain(kiosk, entries, entry(kiosk)), localSeq);

test.beforeAll(async () => {
  central = await startCentral();
  await streamed('kiosk-north', 6, 6);
  // kiosk-south's newest two entries were removed at the counter after they reached central.
  await streamed('kiosk-south', 4, 2);
  kioskUrl = await central.kioskUrl('kiosk_e2e_audit');
});

test.afterAll(async () => {
  await central?.stop();
});

test.use({
  viewport: { width: 1280, height: 900 },
  // eslint-disable-next-line no-empty-pattern
  env: async ({}, use) => use({ WEBDESK_CENTRAL_URL: kioskUrl }),
});

test('同期の状態 shows each counter’s audit stream; 監査ログ 全窓口 lists, filters and exports every counter’s entries', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await page.getByRole('button', { name: '同期の状態' }).click();
  await expect(page.getByTestId('sync-state')).toHaveText('オンライン');

  const streams = page.getByTestId('audit-streams');
  await expect(streams.getByRole('row', { name: /^kiosk-north/ })).toContainText('6 番まで（6 件）');
  await expect(streams.getByRole('row', { name: /^kiosk-north/ })).toContainText('すべて届いています');
  const south = streams.getByRole('row', { name: /^kiosk-south/ });
  await expect(south).toContainText('4 番まで（4 件）');
  await expect(south).toContainText('2 番まで');
  await expect(south).toContainText('記録の欠落（窓口の記録が中央より短い）');
  // This counter's own stream: the admin's login and password change are already at central.
  const own = streams.getByRole('row', { name: /^e2e-kiosk（この窓口）/ });
  await expect(own).toContainText('すべて届いています');
  await shoot(page, 'sync-audit-streams');
  await expectNoAxeViolationsJaEn(page, 'sync with audit streams', async () => {
    await expect(page.getByRole('heading', { level: 2, name: 'Audit log delivery' })).toBeVisible();
    await expect(streams.getByRole('row', { name: /^kiosk-south/ })).toContainText('Entries missing');
  });

  await page.getByRole('button', { name: '監査ログ', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '監査ログ' })).toBeVisible();
  const scope = page.getByRole('group', { name: '表示範囲' });
  await expect(scope.getByRole('radio', { name: 'この窓口' })).toBeChecked();
  await scope.getByRole('radio', { name: '全窓口' }).check();
  const table = page.getByRole('table', { name: '監査ログ（全窓口）' });
  await expect(table.getByRole('columnheader', { name: '窓口' })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'kiosk-north', exact: true }).first()).toBeVisible();
  await expect(table.getByRole('cell', { name: 'e2e-kiosk', exact: true }).first()).toBeVisible();

  // One counter, one action kind: only kiosk-north's reset entries (seq 2, 4, 6).
  await page.getByRole('combobox', { name: '窓口', exact: true }).selectOption('kiosk-north');
  await page.locator('#audit-action').fill('reset.');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(table.getByRole('row')).toHaveCount(4);
  for (const cell of await table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') }).all()) {
    await expect(cell.getByRole('cell').first()).toHaveText('kiosk-north');
  }
  await expect(table.getByRole('cell', { name: 'kiosk-north-subject-4' })).toBeVisible();
  // The detail as labelled fields, as this counter's own log shows it, never the stored JSON.
  const fourth = table.getByRole('row').filter({ hasText: 'kiosk-north-subject-4' });
  await expect(fourth.getByRole('definition')).toHaveText('4');
  await expect(fourth).not.toContainText('{');
  await shoot(page, 'audit-fleet');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV で書き出す' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-fleet-\d{8}T\d{6}\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(csv[0]).toBe('"kiosk","seq","at","actor","action","subject","detail","prev_hash","hash"');
  expect(csv.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['"kiosk-north","2"', '"kiosk-north","4"', '"kiosk-north","6"']);
  await expect(page.getByRole('status').filter({ hasText: `全窓口の 3 件を ${file.suggestedFilename()} として書き出しました。` })).toBeVisible();

  await expectNoAxeViolationsJaEn(page, 'audit, all counters', async () => {
    await expect(page.getByRole('group', { name: 'Scope' }).getByRole('radio', { name: 'All counters' })).toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Counter', exact: true })).toHaveValue('kiosk-north');
  });

  // Back to this counter: its own log, with the hash-chain check and no counter filter.
  await scope.getByRole('radio', { name: 'この窓口' }).check();
  await expect(page.getByRole('button', { name: 'ハッシュの連鎖を検証' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '窓口', exact: true })).toHaveCount(0);
});
