/**
 * What every fake port shares: one call log (method and arguments, in call
 * order, failed calls included), scripted faults, and an optional allow-list
 * that makes a method a test must not reach fail loudly instead of answering.
 */
import { FaultPlan } from './fault-plan.js';

export interface Call {
  method: string;
  args: unknown[];
}

export interface RecorderOptions {
  /** When set, calling any other port method throws (e.g. the policies must never touch transfer methods). */
  only?: readonly string[];
}

export class Recorder {
  readonly calls: Call[] = [];
  readonly faults = new FaultPlan();

  constructor(private readonly only?: readonly string[]) {}

  /** Logs the call, rejects a method outside the allow-list, then fires a 'before' fault armed for `faultArg`. */
  enter(method: string, args: unknown[], faultArg: unknown = args[0]): void {
    this.calls.push({ method, args });
    if (this.only && !this.only.includes(method)) throw new Error(`fake: ${method} is not used by this test`);
    this.faults.check(method, 'before', faultArg);
  }

  /** Fires an 'after' fault: the effect happened, the answer is lost. */
  leave(method: string, faultArg: unknown): void {
    this.faults.check(method, 'after', faultArg);
  }

  count(method?: string): number {
    return method ? this.calls.filter((c) => c.method === method).length : this.calls.length;
  }

  /** The arguments of every call of `method`, in order. */
  argsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}
