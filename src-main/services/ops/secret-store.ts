/**
 * Where deployment secrets (SMTP and central database passwords, the code keys central hands
 * out: services/code-keys.ts; the counter's audit marker key: services/audit-marker-keys.ts) live. Electron's
 * safeStorage (the OS keychain: DPAPI on Windows, libsecret/kwallet on Linux) in the
 * Electron process; elsewhere, and where no keychain is available, a file only the app's
 * user can read (mode 0600). Values go in and come out only here; nothing else stores,
 * returns or logs them. Implementations: app/secret-store.ts.
 */
import { AppError } from '../../contract/errors';

export type SecretName = 'smtp-password' | 'central-password' | 'code-keys' | 'audit-marker-keys';

export interface SecretStore {
  readonly kind: 'safeStorage' | 'file';
  get(name: SecretName): string | undefined;
  set(name: SecretName, value: string): void;
  delete(name: SecretName): void;
}

/**
 * A secrets file that cannot be read (`unreadable`) or is not what the counter writes
 * (`damaged`). At start-up its message is the one line that stops it; on a running counter
 * (the file changed under it) the call that needed it answers UNAVAILABLE with the file's
 * name and the fault, which the screens put in words (errors.unavailable.secrets-*), instead
 * of INTERNAL. The path stays in the message and the log: a kiosk screen may show the answer.
 */
export class SecretFileFault extends AppError {
  constructor(fileName: string, fault: 'damaged' | 'unreadable', line: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', { params: { reason: `secrets-${fault}`, file: fileName } });
    this.name = 'SecretFileFault';
    this.message = line;
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/** In memory, for tests and one-shot CLI commands. */
export function memorySecretStore(): SecretStore {
  const values = new Map<SecretName, string>();
  return {
    kind: 'file',
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
    delete: (name) => void values.delete(name),
  };
}

/** postgres://user:pw@host → { url: 'postgres://user@host', password: 'pw' }. */
export function splitUrlPassword(url: string): { url: string; password?: string } {
  const parsed = new URL(url);
  if (!parsed.password) return { url };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** Puts a stored password into a URL that names a user but carries none. */
export function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const parsed = new URL(url);
  if (!parsed.username || parsed.password) return url;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** For screens and logs: the URL with any password replaced by ***. */
export function maskUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable)';
  }
}

/** The URL with the password removed (what the setup screen shows). */
export function urlWithoutPassword(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return splitUrlPassword(url).url;
  } catch {
    return null;
  }
}
