/** The machine and versions a run was measured on. */
import { cpus, release, totalmem, availableParallelism } from 'node:os';
import type { MachineInfo } from '../results.js';
import { runCommand } from '../system/run-command.js';

/** Collects nproc, memory, kernel, node, dovecot and the repository commit. */
export async function machineInfo(repoRoot: string): Promise<MachineInfo> {
  const dovecot = await runCommand(['dovecot', '--version']).then((v) => v.trim(), () => 'not installed');
  const commit = await runCommand(['git', '-C', repoRoot, 'rev-parse', '--short', 'HEAD']).then((v) => v.trim(), () => 'unknown');
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    memoryBytes: totalmem(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    kernel: release(),
    node: process.version,
    dovecot,
    pigeondeliverCommit: commit,
  };
}
