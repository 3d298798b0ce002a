import { localMigrations, localSchemaVersion } from './migrations';

/** Schema figures for diagnostics, without handing the migration runner to services. */
export { localSchemaVersion };
export const expectedSchema = (): string => localMigrations.at(-1)![0];
export const isKnownMigration = (name: string | null | undefined): boolean => localMigrations.some(([n]) => n === name);
