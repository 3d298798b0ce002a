import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretStore, type SafeStorageLike } from '../../../src-main/app/secret-store';
import { maskUrl, splitUrlPassword, withPassword } from '../../../src-main/services/ops/secret-store';

const fakeSafeStorage = (backend = 'gnome_libsecret'): SafeStorageLike => ({
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
  decryptString: (sealed) => Buffer.from(sealed.toString().slice('sealed:'.length), 'hex').toString(),
  getSelectedStorageBackend: () => backend,
});

describe('secret stores', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'webdesk-secrets-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps secrets in a 0600 file without a keychain', () => {
    const d = dir();
    const store = createSecretStore(d);
    expect(store.kind).toBe('file');
    store.set('smtp-password', 'pw-1');
    expect(store.get('smtp-password')).toBe('pw-1');
    expect(statSync(join(d, 'secrets.json')).mode & 0o777).toBe(0o600);
    store.delete('smtp-password');
    expect(store.get('smtp-password')).toBeUndefined();
  });

  it('seals secrets with safeStorage, and refuses its basic_text backend', () => {
    const d = dir();
    const store = createSecretStore(d, fakeSafeStorage());
    expect(store.kind).toBe('safeStorage');
    store.set('central-password', 'pg-secret');
    expect(readFileSync(join(d, 'secrets.safe.json'), 'utf8')).not.toContain('pg-secret');
    expect(store.get('central-password')).toBe('pg-secret');
    expect(createSecretStore(dir(), fakeSafeStorage('basic_text')).kind).toBe('file');
  });

  it.each([
    ['one byte damaged', '{"smtp-password":"pw-1","code-keys":"[]"'],
    ['empty', ''],
    ['not an object of strings', '{"smtp-password":1}'],
    ['null', 'null'],
  ])('refuses a secrets.json that is %s, naming it, and never writes over it', (_what, content) => {
    const d = dir();
    const file = join(d, 'secrets.json');
    writeFileSync(file, content, { mode: 0o600 });
    const store = createSecretStore(d);
    const damaged = `secrets.json ${file} is damaged (not the JSON this counter writes); nothing was changed. It holds the saved SMTP and central passwords, the code keys from central and the audit marker key: put back a copy, or move the file aside and start again without them`;
    expect(() => store.get('smtp-password')).toThrow(damaged);
    // It used to read as empty, and the next write kept only the new value.
    expect(() => store.set('central-password', 'pg-secret')).toThrow(damaged);
    expect(() => store.delete('smtp-password')).toThrow(damaged);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(readdirSync(d)).toEqual(['secrets.json']);
  });

  it('says a secrets.json it cannot read is unreadable, and writes nothing', () => {
    const d = dir();
    mkdirSync(join(d, 'secrets.safe.json'));
    const store = createSecretStore(d, fakeSafeStorage());
    expect(() => store.set('smtp-password', 'pw')).toThrow(
      `secrets.safe.json ${join(d, 'secrets.safe.json')} cannot be read (EISDIR); it holds the saved SMTP and central passwords, the code keys from central and the audit marker key (nothing was changed)`,
    );
    expect(readdirSync(d)).toEqual(['secrets.safe.json']);
  });

  it('splits, re-adds and masks URL passwords', () => {
    expect(splitUrlPassword('smtp://u:p%40ss@h:25')).toEqual({ url: 'smtp://u@h:25', password: 'p@ss' });
    expect(withPassword('smtp://u@h:25', 'p@ss')).toBe('smtp://u:p%40ss@h:25');
    expect(withPassword('smtp://h:25', 'p')).toBe('smtp://h:25');
    expect(maskUrl('postgres://k:secret@db/x')).toBe('postgres://k:***@db/x');
  });
});
