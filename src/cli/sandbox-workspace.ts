/**
 * The folder a sandbox run works in (default ./data/sandbox): its generated
 * config and its database. The sandbox's data lives in memory and dies with
 * the process, so a database left from an earlier run would describe entries
 * that no longer exist; it is removed at the start of each run (never at the
 * end, so `zk status`/`zk files` can still inspect a finished run).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sandbox, SandboxConfigOptions } from '../sandbox/index.js';
import { sandboxConfigYaml } from '../sandbox/index.js';

export const DEFAULT_SANDBOX_DIR = './data/sandbox';

export interface SandboxWorkspace {
  dir: string;
  configPath: string;
  database: string;
}

export function prepareSandboxWorkspace(dir: string, cwd: string = process.cwd()): SandboxWorkspace {
  const abs = resolve(cwd, dir);
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  const database = join(abs, 'zk.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  return { dir: abs, configPath: join(abs, 'zk.yaml'), database };
}

export function writeSandboxConfig(ws: SandboxWorkspace, sandbox: Pick<Sandbox, 'zoom' | 'kaltura'>, opts: Omit<SandboxConfigOptions, 'database'> = {}): void {
  writeFileSync(ws.configPath, sandboxConfigYaml(sandbox, { ...opts, database: ws.database }), { mode: 0o600 });
}
