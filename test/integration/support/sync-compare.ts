// Every synced table of a kiosk's replica next to central's copy, as comparable rows: the
// travelling columns, values as text, sorted by the cross-kiosk key.
import type { App } from '../../../src-main/app/create-app';
import { syncedTables } from '../../../src-main/store/sync-tables';
import { travellingColumns } from '../../../src-main/store/sync-triggers';
import type { Central } from './sync-central';

type Rows = Record<string, string[]>;
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function replicaTables(app: App): Promise<Rows> {
  const clientId = app.sync!.clientId;
  const out: Rows = {};
  for (const table of syncedTables) {
    const cols = await travellingColumns(app.db, table);
    const rows = (await app.db(table.name).select('*')) as Array<Record<string, unknown>>;
    out[table.name] = rows
      .map((r) => {
        const key = table.surrogate ? (r.sync_key ?? `${clientId}:${String(r.id)}`) : r.id;
        return JSON.stringify([text(key), ...cols.map((c) => text(r[c]))]);
      })
      .sort();
  }
  return out;
}

export async function centralTables(central: Central, app: App): Promise<Rows> {
  const out: Rows = {};
  for (const table of syncedTables) {
    const cols = await travellingColumns(app.db, table);
    const key = table.surrogate ? 'key' : 'id';
    const rows = await central.query(`SELECT * FROM ${table.name}`);
    out[table.name] = rows.map((r) => JSON.stringify([text(r[key]), ...cols.map((c) => text(r[c]))])).sort();
  }
  return out;
}
