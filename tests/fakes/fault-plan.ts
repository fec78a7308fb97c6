/** Scripted faults for fakes: fail a named method N times, before or after it takes effect. */
export interface Fault {
  method: string;
  error: () => Error;
  /** 'before': the call fails without effect; 'after': the effect happens, then the caller sees the error (a lost response). */
  when?: 'before' | 'after';
  times?: number;
  /** Only calls whose first argument matches. */
  match?: (arg: unknown) => boolean;
}

export class FaultPlan {
  private faults: Fault[] = [];
  readonly calls: Array<{ method: string; arg: unknown }> = [];

  add(fault: Fault): this {
    this.faults.push({ when: 'before', times: 1, ...fault });
    return this;
  }

  clear(): void {
    this.faults = [];
  }

  /** Throws the scripted error for (method, phase) if one is armed. */
  check(method: string, phase: 'before' | 'after', arg?: unknown): void {
    if (phase === 'before') this.calls.push({ method, arg });
    const i = this.faults.findIndex((f) => f.method === method && f.when === phase && (!f.match || f.match(arg)));
    if (i === -1) return;
    const fault = this.faults[i];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    throw fault.error();
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }
}
