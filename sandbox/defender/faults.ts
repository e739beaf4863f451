/**
 * Run-time fault state. Counters ("next N calls") count down as they fire; setFaults
 * replaces everything. Random faults draw from a seeded stream so runs repeat.
 */
import type { Rng } from './rng';
import type { Faults, Operation } from './types';

export class FaultState {
  private f: Faults = {};
  private drops = 0;
  private stalls = 0;
  private storm = 0;
  private createThenFail = 0;

  constructor(private readonly rng: Rng) {}

  set(faults: Faults): void {
    this.f = { ...faults };
    this.drops = Math.max(0, faults.dropConnection ?? 0);
    this.stalls = faults.stallMs ? Math.max(0, faults.stallCount ?? 1) : 0;
    this.storm = Math.max(0, faults.storm429?.remaining ?? 0);
    this.createThenFail = Math.max(0, faults.createThenFail ?? 0);
  }

  get latencyMs(): number {
    return Math.max(0, this.f.latencyMs ?? 0);
  }

  get duplicateReturnsExisting(): boolean {
    return this.f.duplicateReturnsExisting === true;
  }

  takeDrop(): boolean {
    return this.take('drops');
  }

  /** Extra wall-clock delay for this response, 0 when no stall is armed. */
  takeStallMs(): number {
    return this.take('stalls') ? Math.max(0, this.f.stallMs ?? 0) : 0;
  }

  /** Retry-After seconds when a 429 storm is under way. */
  takeStorm(op: Operation): number | undefined {
    const only = this.f.storm429?.operations;
    if (only && !only.includes(op)) return undefined;
    return this.take('storm') ? Math.max(1, Math.ceil(this.f.storm429?.retryAfterSeconds ?? 1)) : undefined;
  }

  takeCreateThenFail(): boolean {
    return this.take('createThenFail');
  }

  rollError(op: Operation): boolean {
    const rate = this.f.errorRate ?? 0;
    if (rate <= 0) return false;
    if (this.f.errorOperations && !this.f.errorOperations.includes(op)) return false;
    return this.rng() < rate;
  }

  finalStatusFor(machineId: string): 'Succeeded' | 'Failed' | 'TimeOut' {
    const hit = this.f.failActions?.find((a) => a.machineId.toLowerCase() === machineId.toLowerCase());
    return hit?.finalStatus ?? 'Succeeded';
  }

  private take(counter: 'drops' | 'stalls' | 'storm' | 'createThenFail'): boolean {
    if (this[counter] <= 0) return false;
    this[counter]--;
    return true;
  }
}
