// Accepting a cut counter log on 同期の状態 (issue 14), in web mode against a real central
// PostgreSQL: kiosk-west's newest two entries were removed at the counter after they reached
// central; kiosk-east's log was rewritten (central cannot place it). An admin reads why the gap
// matters, records a reason, confirms, and the gap shows as accepted with who, when and why;
// the acceptance is in this counter's 監査ログ. axe-clean in Japanese and English.
import { startCentral, type Central } from '../integration/support/sync-central';
import { expect, test } from './fixtures';
import { chain, streamCounter } from './fleet-audit-support';
import { expectNoAxeViolationsJaEn } from './kiosk-steps';
import { expectScreenComplete, loginAsAdmin, openScreen, shoot } from './staff-support';

let central: Central;
let kioskUrl: string;

/** A counter whose `entries` reached central and which then reported its own head as (`localSeq`, `localHash`). */
const streamed = (kiosk: string, entries: number, localSeq: number, localHash?: string) => streamCounter(central, kiosk, chain(kiosk, entries), localSeq, localHash);

test.beforeAll(async () => {
  central = await startCentral();
  await streamed('kiosk-west', 4, 2);
  // kiosk-east's log ends at seq 1 with a hash central never held: rewritten, not only cut.
  await streamed('kiosk-east', 3, 1, 'f'.repeat(64));
  kioskUrl = await central.kioskUrl('kiosk_e2e_gap');
});

test.afterAll(async () => {
  await central?.stop();
});

test.use({
  viewport: { width: 1280, height: 900 },
  // eslint-disable-next-line no-empty-pattern
  env: async ({}, use) => use({ WEBDESK_CENTRAL_URL: kioskUrl }),
});

test('an admin accepts a cut counter log on 同期の状態; it stays listed as accepted, with who, when and why', async ({ page, webApp }) => {
  await loginAsAdmin(page, webApp);
  await openScreen(page, '同期の状態');
  const streams = page.getByTestId('audit-streams');
  await expect(streams.getByRole('row', { name: /^kiosk-west/ })).toContainText('記録の欠落（窓口の記録が中央より短い）');
  await expect(page.getByText('kiosk-east の記録は削除ではなく書き換えられているため、承認できません。')).toBeVisible();

  const form = page.getByRole('article', { name: 'kiosk-west の記録の欠落を承認する' });
  await expect(form).toContainText('中央データベースには kiosk-west の記録が 4 番まで届いています');
  const accept = form.getByRole('button', { name: '欠落を承認する' });
  await expect(accept).toBeDisabled();
  await form.getByRole('textbox', { name: /承認の理由/ }).fill('端末の故障で前日のバックアップから復元したことを確認（チケット 4711）');
  await shoot(page, 'sync-audit-gap-form');
  await expectNoAxeViolationsJaEn(page, 'sync with a gap to accept', async () => {
    await expect(page.getByRole('article', { name: 'Accept the missing entries of kiosk-west' })).toBeVisible();
  });

  await accept.click();
  const dialog = page.getByRole('dialog', { name: 'kiosk-west の記録の欠落を承認しますか？' });
  await expect(dialog).toContainText('承認は取り消せません。');
  await dialog.getByRole('button', { name: '承認する' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'kiosk-west の 3〜4 番の欠落を承認しました。' })).toBeVisible();
  await expect(streams.getByRole('row', { name: /^kiosk-west/ })).toContainText('記録の欠落（承認済み）');
  const accepted = page.getByTestId('accepted-gaps');
  await expect(accepted).toContainText(/kiosk-west：3〜4 番 — staff:\S+ が .+ に承認（e2e-kiosk で、データベースのログイン kiosk_e2e_gap）。理由：端末の故障で前日のバックアップから復元したことを確認（チケット 4711）/);
  await expect(page.getByRole('article', { name: 'kiosk-west の記録の欠落を承認する' })).toHaveCount(0);
  await shoot(page, 'sync-audit-gap-accepted');
  await expectNoAxeViolationsJaEn(page, 'sync with an accepted gap', async () => {
    await expect(page.getByTestId('accepted-gaps')).toContainText('accepted by staff:');
  });

  // Central holds the record; this counter's own log has the acceptance.
  expect(await central.query(`SELECT kiosk_id, from_seq, to_seq, accepted_at_kiosk, accepted_role FROM kiosk_audit_acceptances`)).toEqual([
    { kiosk_id: 'kiosk-west', from_seq: 3, to_seq: 4, accepted_at_kiosk: 'e2e-kiosk', accepted_role: 'kiosk_e2e_gap' },
  ]);
  await openScreen(page, '監査ログ');
  await expectScreenComplete(page);
  await expect(page.getByRole('cell', { name: '監査ログの欠落の承認' }).first()).toBeVisible();
});
