import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import type { ImportCounts, ImportedAccount, ImportSink } from './account-import';

const columns = ['id', 'jsa_id', 'email', 'email_norm', 'contact_name', 'company', 'department', 'address', 'phone'] as const;
const values = columns.filter((c) => c !== 'id' && c !== 'jsa_id');

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * The central account database as an import's target (`accounts:import -- --central`): the
 * checked rows stream into a temporary staging table with one COPY, then one set-based merge
 * upserts them by JSA-ID, leaving unchanged rows alone. Central's triggers bump versions and
 * log every change, so the counters receive the rows by their normal pull: no counter pushes
 * the file as mutations. Everything is one transaction: an interrupted import leaves central
 * as it was, and running it again does all of it.
 */
export async function centralImportSink(central: pg.Client, options: { dryRun: boolean; nowIso: string }): Promise<ImportSink> {
  await central.query('BEGIN');
  await central.query(`CREATE TEMP TABLE account_import (${columns.map((c) => `${c} text NOT NULL`).join(', ')}) ON COMMIT DROP`);
  const copy = central.query(copyFrom(`COPY account_import (${columns.join(', ')}) FROM STDIN`));
  const finished = once(copy, 'finish');
  finished.catch(() => undefined);
  const none: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 };
  return {
    target: 'central',
    async batch(rows: ImportedAccount[]) {
      const text = rows.map((r) => `${[uuidv7(), ...columns.slice(1).map((c) => r[c as keyof ImportedAccount])].map(copyText).join('\t')}\n`).join('');
      if (!copy.write(text)) await Promise.race([once(copy, 'drain'), finished]);
      return none;
    },
    async finish() {
      copy.end();
      await finished;
      try {
        const staged = Number((await central.query<{ n: string }>('SELECT count(*) AS n FROM account_import')).rows[0]!.n);
        const differs = `(${values.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `s.${c}`).join(', ')})`;
        if (options.dryRun) {
          const { rows } = await central.query<{ updated: string; inserted: string }>(
            `SELECT count(*) FILTER (WHERE a.id IS NULL) AS inserted, count(*) FILTER (WHERE a.id IS NOT NULL AND ${differs}) AS updated
             FROM account_import s LEFT JOIN accounts a ON a.jsa_id = s.jsa_id`,
          );
          await central.query('ROLLBACK');
          const inserted = Number(rows[0]!.inserted);
          const updated = Number(rows[0]!.updated);
          return { inserted, updated, unchanged: staged - inserted - updated };
        }
        const { rows } = await central.query<{ inserted: string; updated: string }>(
          `WITH merged AS (
             INSERT INTO accounts AS a (${columns.join(', ')}, password_hash, version, created_at, updated_at)
             SELECT ${columns.join(', ')}, NULL, 1, $1, $1 FROM account_import
             ON CONFLICT (jsa_id) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
             WHERE (${values.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `excluded.${c}`).join(', ')})
             RETURNING (xmax = 0) AS inserted)
           SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged`,
          [options.nowIso],
        );
        await central.query('COMMIT');
        const inserted = Number(rows[0]!.inserted);
        const updated = Number(rows[0]!.updated);
        return { inserted, updated, unchanged: staged - inserted - updated };
      } catch (error) {
        await central.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}
