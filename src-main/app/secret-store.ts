import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretName, SecretStore } from '../services/ops/secret-store';

type Entries = Partial<Record<SecretName, string>>;

function jsonFile(file: string, dataDir: string) {
  return {
    read(): Entries {
      if (!existsSync(file)) return {};
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as Entries;
      } catch {
        return {};
      }
    },
    write(entries: Entries): void {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(entries)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    },
  };
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
