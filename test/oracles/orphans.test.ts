/**
 * Oracle hosts end with the run that started them: a `convcheck run` or `validate` killed with SIGKILL (no
 * chance to close anything) leaves no host behind, even one busy computing.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAIN, ROOT } from '../built-cli.js';
import { children, running } from '../helpers/processes.js';

describe('oracle hosts and a killed run', () => {
  it('SIGKILL of convcheck: its host exits within seconds, even one stuck in a busy loop', async () => {
    // An adapter whose run never returns from a synchronous loop: its host's event loop is blocked.
    const run = spawn(process.execPath, [MAIN, 'validate', '--impl', 'test/validate/hostile-adapter.mjs', '--impl-option', 'mode=loop', '--timeout', '120s', '--time-budget', '120s', '--seed', '9'], { stdio: 'ignore', cwd: ROOT });
    let hosts: number[] = [];
    for (let i = 0; i < 100 && hosts.length < 1; i++) {
      await new Promise((r) => setTimeout(r, 200));
      hosts = children(run.pid!);
    }
    expect(hosts.length).toBe(1);
    // Let it get into the loop, then kill the run outright.
    await new Promise((r) => setTimeout(r, 1500));
    run.kill('SIGKILL');
    let left = hosts;
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      left = hosts.filter(running);
    }
    expect(left).toEqual([]);
  }, 60_000);
});
