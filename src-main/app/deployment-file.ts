import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentFile, DeploymentValues } from '../services/ops/setup-service';

export const deploymentFilePath = (dataDir: string) => join(dataDir, 'deployment.json');

/** The values saved by first-run setup; loadConfig merges them under the environment. */
export function readDeploymentValues(dataDir: string): (DeploymentValues & { updatedAt?: string }) | undefined {
  const file = deploymentFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DeploymentValues & { updatedAt?: string };
}

/**
 * DATA_DIR/deployment.json, mode 0600. It holds no passwords (those are in the SecretStore),
 * but host and user names are nobody else's business either. Written to a temporary file
 * and renamed, so a power cut leaves the old or the new file, never half of one.
 */
export function createDeploymentFile(dataDir: string): DeploymentFile {
  const file = deploymentFilePath(dataDir);
  return {
    read: () => {
      try {
        return readDeploymentValues(dataDir) ?? {};
      } catch {
        return {};
      }
    },
    write(values) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    },
  };
}
