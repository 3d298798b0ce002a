import { createHash } from 'node:crypto';

/**
 * Names the values a screen was loaded with; the screen sends it back with its save, and a save
 * on values changed since is refused (CONFLICT 'settings-changed') instead of putting another
 * admin's change back without a word. A digest of the values, not a time: two saves within one
 * clock tick, or under a clock stepped back, still differ.
 */
export const revisionOf = (values: unknown): string => createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
