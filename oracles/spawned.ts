/**
 * Process groups a backend starts inside its host (a program on the process protocol, the Python
 * bridge). They go when the host goes: its parent kills them when it sees the host exit, and the
 * host kills them itself when the parent is gone first (host.ts), since a hung program keeps
 * computing after its stdin closes.
 */
const listeners: Array<(pid: number) => void> = [];

/** A backend started a process group led by `pid` (spawned with `detached: true`). */
export function announceSpawned(pid: number): void {
  process.send?.({ spawned: pid });
  for (const l of listeners) l(pid);
}

export function onSpawned(l: (pid: number) => void): void {
  listeners.push(l);
}
