/**
 * Oracle hosts end with the run that started them: a `convcheck run` or `validate` killed with SIGKILL (no
 * chance to close anything) leaves no host behind, even one busy computing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('SIGKILL of the run: a program on the process protocol, hung in a call, goes with its host', async () => {
    // The fake program sleeps in a call (mode 2) after writing its pid; its stdin closing does not
    // wake it, so only a kill of its process group ends it.
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-orphan-'));
    const pidfile = join(dir, 'pid');
    const script = `
      const { IsolatedOracle } = await import(${JSON.stringify(join(ROOT, 'dist', 'oracles', 'isolated.js'))});
      const { parseCase } = await import(${JSON.stringify(join(ROOT, 'dist', 'src', 'case', 'case.js'))});
      const o = new IsolatedOracle('fake', { timeoutMs: 120000, backend: { module: './process/backend.js', options: { argv: ['$PYTHON', 'oracles/testing/fake_program.py'], options: { pidfile: ${JSON.stringify(pidfile)} } } } });
      await o.run(parseCase({ framework: 'onnx', op: 'Conv', inputs: { X: { shape: [1, 1, 2], data: [2, 0] }, W: { shape: [1, 1, 1], data: [1] } } }, 'orphan'));
    `;
    // A file, not -e: hosts are forked with this process's exec arguments.
    writeFileSync(join(dir, 'run.mjs'), script);
    const run = spawn(process.execPath, [join(dir, 'run.mjs')], { stdio: 'ignore', cwd: ROOT });
    for (let i = 0; i < 150 && !existsSync(pidfile); i++) await new Promise((r) => setTimeout(r, 200));
    const program = Number(readFileSync(pidfile, 'utf8'));
    expect(running(program)).toBe(true);
    run.kill('SIGKILL');
    for (let i = 0; i < 50 && running(program); i++) await new Promise((r) => setTimeout(r, 200));
    expect(running(program)).toBe(false);
  }, 60_000);
});
