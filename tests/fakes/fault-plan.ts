/** Scripted faults for fakes: fail a named method N times, before or after it takes effect. */
export interface Fault {
  /** A port method's name, or '*' for every method (e.g. rejected credentials). */
  method: string;
  error: () => Error;
  /** 'before': the call fails without effect; 'after': the effect happens, then the caller sees the error (a lost response). */
  when?: 'before' | 'after';
  /** How many calls fail; Infinity for every call. */
  times?: number;
  /** Only calls whose fault argument (the fake names it per method, e.g. a file id) matches. */
  match?: (arg: unknown) => boolean;
}

export class FaultPlan {
  private faults: Fault[] = [];

  add(fault: Fault): this {
    this.faults.push({ when: 'before', times: 1, ...fault });
    return this;
  }

  /** Every call of `method` fails with `error` (until cleared). */
  always(method: string, error: Error): this {
    return this.add({ method, error: () => error, times: Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** Throws the scripted error for (method, phase) if one is armed. */
  check(method: string, phase: 'before' | 'after', arg?: unknown): void {
    const i = this.faults.findIndex((f) => (f.method === method || f.method === '*') && f.when === phase && (!f.match || f.match(arg)));
    if (i === -1) return;
    const fault = this.faults[i];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    throw fault.error();
  }
}
