import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SecretFileFault, type SecretName, type SecretStore } from '../services/ops/secret-store';

type Entries = Partial<Record<SecretName, string>>;

/**
 * The file is read whole at every use and written whole. One that cannot be read or is not
 * what we write is never taken for empty: the next write would replace the SMTP and central
 * passwords, central's code keys and the audit marker key with nothing. It stops start-up (the
 * first read is there) with one line naming it, and a call that needs it later fails instead.
 */
function jsonFile(file: string, dataDir: string) {
  const held = 'the saved SMTP and central passwords, the code keys from central and the audit marker key';
  return {
    read(): Entries {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
        if (code === 'ENOENT') return {};
        const why = code === 'EACCES' || code === 'EPERM' ? `cannot be read by this user (${code}); give the counter's user read access to it` : `cannot be read (${code})`;
        throw new SecretFileFault(basename(file), 'unreadable', `${basename(file)} ${file} ${why}; it holds ${held} (nothing was changed)`, { cause: error });
      }
      const entries = parseEntries(text);
      if (entries === undefined) {
        throw new SecretFileFault(
          basename(file),
          'damaged',
          `${basename(file)} ${file} is damaged (not the JSON this counter writes); nothing was changed. It holds ${held}: ` +
            'put back a copy, or move the file aside and start again without them (enter the passwords again in the setup; the code keys come back at the next sync)',
        );
      }
      return entries;
    },
    write(entries: Entries): void {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeFileSync(fd, `${JSON.stringify(entries)}\n`);
        // On disk before the rename: a power cut must not leave an empty file in its place.
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    },
  };
}

/** An object of names to strings, or undefined. */
function parseEntries(text: string): Entries | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.values(value).every((v) => typeof v === 'string') ? (value as Entries) : undefined;
}

/**
 * Web mode (and Electron where no keychain is available): DATA_DIR/secrets.json, mode 0600 in
 * a 0700 folder, so only the app's OS user can read it — the same protection as the
 * deployment secret beside it (secret.key). On Windows the mode bits do nothing; the folder
 * under %APPDATA% is private to the user by its ACL.
 */
export function createFileSecretStore(dataDir: string): SecretStore {
  const f = jsonFile(join(dataDir, 'secrets.json'), dataDir);
  return {
    kind: 'file',
    get: (name) => f.read()[name],
    set(name, value) {
      f.write({ ...f.read(), [name]: value });
    },
    delete(name) {
      const entries = f.read();
      if (!(name in entries)) return;
      delete entries[name];
      f.write(entries);
    },
  };
}

/** The part of Electron's safeStorage we use (typed here so this file needs no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * Electron: values sealed by safeStorage (DPAPI on Windows, the Secret Service or KWallet
 * on Linux, the Keychain on macOS) in DATA_DIR/secrets.safe.json. Linux without a keyring
 * gets safeStorage's `basic_text` backend, a hard-coded key that protects nothing; there,
 * and wherever encryption is unavailable, the file store is used instead and says so.
 */
export function createSecretStore(dataDir: string, safeStorage?: SafeStorageLike): SecretStore {
  let backend: string;
  try {
    // Linux only; elsewhere the method is absent.
    backend = safeStorage?.getSelectedStorageBackend?.() ?? 'unknown';
  } catch {
    backend = 'unknown';
  }
  const usable = safeStorage !== undefined && safeStorage.isEncryptionAvailable() && backend !== 'basic_text';
  if (!usable) return createFileSecretStore(dataDir);
  const f = jsonFile(join(dataDir, 'secrets.safe.json'), dataDir);
  return {
    kind: 'safeStorage',
    get(name) {
      const sealed = f.read()[name];
      if (!sealed) return undefined;
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        return undefined;
      }
    },
    set(name, value) {
      f.write({ ...f.read(), [name]: safeStorage.encryptString(value).toString('base64') });
    },
    delete(name) {
      const entries = f.read();
      if (!(name in entries)) return;
      delete entries[name];
      f.write(entries);
    },
  };
}
