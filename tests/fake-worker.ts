/**
 * A stand-in for a runtime worker (a supervisor's WorkerHandle) that says exactly what a test
 * makes it say: its `Script` answers each message the host posts. No Python: the tests of the
 * host against a worker it cannot trust run in milliseconds.
 */
import type { HostToWorker } from '../src/shared/runtime-protocol';
import type { WorkerHandle } from '../src/runtime/supervisor';

export type Script = (worker: FakeWorker, message: HostToWorker) => void;

export class FakeWorker implements WorkerHandle {
  terminated = false;
  received: HostToWorker[] = [];
  private handler: ((message: unknown) => void) | null = null;
  private errorHandler: ((message: string) => void) | null = null;
  constructor(private readonly script: Script) {}
  post(message: HostToWorker): void {
    this.received.push(message);
    queueMicrotask(() => this.script(this, message));
  }
  terminate(): void {
    this.terminated = true;
  }
  /** What it said before a handler was attached: kept for it, as a real worker's spawn keeps it. */
  private held: unknown[] = [];
  onMessage(handler: (message: unknown) => void): void {
    this.handler = handler;
    for (const message of this.held.splice(0)) handler(message);
  }
  onError(handler: (message: string) => void): void {
    this.errorHandler = handler;
  }
  send(message: unknown): void {
    if (this.terminated) return;
    if (this.handler) this.handler(message);
    else this.held.push(message);
  }
  die(why: string): void {
    this.errorHandler?.(why);
  }
}
