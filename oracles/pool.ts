/**
 * Several hosts of one oracle, for a run that has more cores than oracles: one host runs its
 * calls one at a time, so an oracle whose host is the slower side of a run (ORT: its host keeps
 * one core busy while the harness uses half of the other) gets a second process to spread over.
 *
 * A call goes to the host with the fewest calls waiting (round-robin left one host idle while the
 * other worked through a few slow calls). So which host sees which call depends on timing: fine
 * for a runtime that keeps no state between calls, which is what the pool is for. Each host keeps
 * its own isolation (isolated.ts): a hang or a crash fails its own call and restarts that host.
 */
import { IsolatedOracle, type IsolatedOptions } from './isolated.js';
import type { BackendInfo, Oracle, OracleCall, OracleResult } from './types.js';

export class HostPool implements Oracle {
  private readonly hosts: IsolatedOracle[];

  constructor(
    readonly name: string,
    size: number,
    opts: IsolatedOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a pool of ${size} hosts`);
    this.hosts = Array.from({ length: size }, () => new IsolatedOracle(name, opts));
  }

  /** What the backend declared (every host loads the same backend). */
  get info(): BackendInfo | undefined {
    return this.hosts[0]!.info;
  }

  /** Starts every host; resolves to the first error when any cannot load. */
  async start(): Promise<string | undefined> {
    const errors = await Promise.all(this.hosts.map((h) => h.start()));
    return errors.find((e) => e !== undefined);
  }

  run(call: OracleCall): Promise<OracleResult> {
    let host = this.hosts[0]!;
    for (const h of this.hosts) if (h.unanswered < host.unanswered) host = h;
    return host.run(call);
  }

  /** What went wrong in any host after its last answer, if anything; cleared by reading it. */
  takeIncident(): string | undefined {
    let first: string | undefined;
    for (const h of this.hosts) {
      const i = h.takeIncident();
      first ??= i;
    }
    return first;
  }

  async restart(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.restart()));
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.close()));
  }
}
