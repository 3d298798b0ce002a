import knex, { type Knex } from 'knex';
import * as c0001 from '../../migrations/central/0001_replicated_tables';
import * as c0002 from '../../migrations/central/0002_sync_log';
import * as c0003 from '../../migrations/central/0003_sync_apply';
import * as c0004 from '../../migrations/central/0004_kiosk_role';
import { assertAscending } from './migrations';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Central (PostgreSQL) schema steps; same rules as the local list: static, only going up. */
export const centralMigrations: ReadonlyArray<readonly [string, Migration]> = [
  ['0001_replicated_tables', c0001],
  ['0002_sync_log', c0002],
  ['0003_sync_apply', c0003],
  ['0004_kiosk_role', c0004],
];

/** Run by an operator's role that owns the schema (not a kiosk role); each step in its own transaction. */
export async function migrateCentral(url: string): Promise<string | undefined> {
  assertAscending(centralMigrations.map(([name]) => name));
  const byName = new Map(centralMigrations);
  const db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await db.migrate.latest({
      tableName: 'knex_migrations_central',
      migrationSource: {
        getMigrations: async () => centralMigrations.map(([name]) => name),
        getMigrationName: (name: string) => name,
        getMigration: async (name: string) => byName.get(name)!,
      },
    });
    const row = (await db('knex_migrations_central').orderBy('id', 'desc').first('name')) as { name: string } | undefined;
    return row?.name;
  } finally {
    await db.destroy();
  }
}
