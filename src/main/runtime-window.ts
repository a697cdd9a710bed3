/**
 * The main process's runtime host. Python runs in a Web Worker of a hidden, sandboxed window
 * that the main process owns: there, a program cannot reach Node.js or Electron (in the main
 * process it could). That window's page supervises its worker (a runaway program is stopped
 * after 2 s); this class supervises the window: if it crashes or stops answering, it is
 * destroyed and made again, and the run in progress ends with a clear message.
 */
import { BrowserWindow } from 'electron';
import type { RunInput, StatusInfo } from '../shared/ipc';
import { RUNTIME } from '../shared/ipc';
import { packTrace, type TraceFile } from '../shared/trace';
import { failedTrace } from '../runtime/failed-trace';
import { BASE_WEB_PREFERENCES, RUNTIME_PARTITION } from './hardening';

interface PendingRun {
  input: RunInput;
  started: number;
  timer: ReturnType<typeof setTimeout>;
  resolve: (trace: TraceFile) => void;
}

/** A run may wait for Python to (re)start; past this, the window itself is presumed stuck. */
const WINDOW_DEADLINE_MS = 45_000;

export class RuntimeWindowHost {
  private window: BrowserWindow | null = null;
  private readonly pending = new Map<number, PendingRun>();
  private nextRequestId = 1;
  private current: StatusInfo = { status: 'starting', message: 'Starting Python…' };

  constructor(
    private readonly pageUrl: string,
    private readonly preloadPath: string,
    private readonly onStatus: (info: StatusInfo) => void,
  ) {}

  get status(): StatusInfo {
    return this.current;
  }

  /** The web contents whose messages may claim to come from the runtime. */
  get contentsId(): number | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents.id : null;
  }

  start(): void {
    const window = new BrowserWindow({
      show: false,
      width: 400,
      height: 300,
      // Its own session, in memory only: nothing a program did can be kept on disk by this window.
      webPreferences: { ...BASE_WEB_PREFERENCES, preload: this.preloadPath, backgroundThrottling: false, partition: RUNTIME_PARTITION },
    });
    this.window = window;
    window.webContents.on('render-process-gone', (_event, details) => {
      this.recover(`the runtime process ended (${details.reason})`);
    });
    window.on('unresponsive', () => this.recover('the runtime stopped responding'));
    void window.loadURL(this.pageUrl);
  }

  run(input: RunInput): Promise<TraceFile> {
    const window = this.window;
    if (!window || window.isDestroyed()) this.start();
    const requestId = this.nextRequestId++;
    return new Promise<TraceFile>((resolve) => {
      const timer = setTimeout(() => this.recover('the runtime did not answer in time'), WINDOW_DEADLINE_MS);
      this.pending.set(requestId, { input, started: Date.now(), timer, resolve });
      this.window!.webContents.send(RUNTIME.run, { requestId, input });
    });
  }

  stop(): void {
    if (this.window && !this.window.isDestroyed()) this.window.webContents.send(RUNTIME.stop);
  }

  /** A run's checked trace from the runtime window (sender and trace already checked by the IPC layer). */
  deliver(requestId: number, trace: TraceFile): void {
    const run = this.pending.get(requestId);
    if (!run) return;
    clearTimeout(run.timer);
    this.pending.delete(requestId);
    run.resolve(trace);
  }

  /** The runtime window sent something that is not a well-formed trace: end the run, start afresh. */
  damaged(requestId: number, why: string): void {
    const run = this.pending.get(requestId);
    if (!run) return;
    this.recover(`its trace was damaged (${why})`, 'damaged');
  }

  setStatus(info: StatusInfo): void {
    this.current = info;
    this.onStatus(info);
  }

  dispose(): void {
    for (const run of this.pending.values()) clearTimeout(run.timer);
    this.pending.clear();
    if (this.window && !this.window.isDestroyed()) this.window.destroy();
    this.window = null;
  }

  private recover(why: string, reason: 'crashed' | 'damaged' = 'crashed'): void {
    for (const [id, run] of this.pending) {
      clearTimeout(run.timer);
      run.resolve(
        packTrace(failedTrace(run.input, reason, `Loop Lab had to restart Python: ${why}. Run the program again.`, Date.now() - run.started)),
      );
      this.pending.delete(id);
    }
    if (this.window && !this.window.isDestroyed()) this.window.destroy();
    this.window = null;
    this.setStatus({ status: 'restarting', message: 'Restarting Python…' });
    this.start();
  }
}
