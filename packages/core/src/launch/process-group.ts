/** Ends a backend that was started but must not run (it never answered, or its start was abandoned). */
import { withPrivileges } from './privileges.js';

/**
 * Sends SIGKILL to the process group of `pid` (backends are spawned detached, so the group is the
 * backend and whatever it started), falling back to the process itself. Best effort: a process that
 * is already gone (ESRCH) or not ours to kill (EPERM, the daemon's worker) is ignored. Returns true
 * when a signal was delivered.
 */
export function killProcessGroup(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  return withPrivileges(() => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
        return true;
      } catch {
        // try the next form, then give up
      }
    }
    return false;
  });
}
