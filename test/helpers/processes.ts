/** Processes as /proc shows them, for tests that check nothing is left running. */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/PID/stat after the command name: state first, then the parent pid. */
function stat(pid: number | string): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined; // gone
  }
}

/** Whether a process still runs (a zombie left to a container's init that never reaps is dead). */
export function running(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s[0] !== 'Z';
}

/** Pids of the running processes whose parent is `ppid`. */
export function children(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      const s = stat(d);
      return s !== undefined && s[0] !== 'Z' && Number(s[1]) === ppid;
    })
    .map(Number);
}
