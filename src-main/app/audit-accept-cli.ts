import { userInfo } from 'node:os';
import type { AppConfig } from './config';
import { centralUrlMissingLine } from './cli-options';
import { createApp } from './create-app';
import { argValue } from './entry-support';
import { acceptAuditGap, acceptedLine, AuditAcceptError } from '../services/sync/audit-acceptance';
import { connectCentral } from '../services/sync/central-connection';
import { iso } from '../services/clock';

/**
 * `npm run audit:accept -- --counter ID --reason TEXT [--by NAME]`: after investigating a cut
 * log that `audit:verify -- --central` names, an admin at any synced counter accepts that gap.
 * Recorded at central (who, where, which entries, why, central's time) and audited here; the
 * gap stays in the history and is reported as accepted from then on.
 */
export async function auditAcceptCommand(config: AppConfig, args: string[]): Promise<number> {
  const counter = argValue(args, '--counter')?.trim();
  const reason = argValue(args, '--reason')?.trim();
  if (!config.centralUrl) {
    process.stderr.write(`${centralUrlMissingLine('audit-accept')}\n`);
    return 2;
  }
  if (!counter || !reason) {
    process.stderr.write('audit-accept: --counter と --reason を指定してください / usage: audit-accept --counter ID --reason TEXT [--by NAME]\n');
    return 2;
  }
  // Who: the name given, else the operating-system user running the command at this counter.
  const by = `operator:${argValue(args, '--by')?.trim() || userInfo().username}`;
  const app = await createApp(config, { defaultLinkBase: 'web', startMailWorker: false, startSync: false });
  let central: Awaited<ReturnType<typeof connectCentral>> | undefined;
  try {
    try {
      central = await connectCentral(config.centralUrl, 'audit-accept', config.kioskId);
    } catch (error) {
      process.stderr.write(`audit-accept: 中央データベースに接続できません。何も記録していません / cannot reach central, nothing recorded: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const client = central;
    const acceptance = await acceptAuditGap({
      db: app.db,
      query: async (sql, params) => (await client.query(sql, params)).rows,
      counter,
      reason,
      by,
      atKiosk: config.kioskId,
      nowIso: iso(app.clock.nowMs()),
    });
    process.stdout.write(`audit-accept: ${acceptedLine(acceptance)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AuditAcceptError) {
      process.stderr.write(`audit-accept: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await central?.end();
    await app.close();
  }
}
