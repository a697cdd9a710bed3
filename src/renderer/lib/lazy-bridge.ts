/**
 * A bridge that starts Python only when a program needs it (the embed page). A course page can
 * hold several embedded players: each plays its recorded trace with no interpreter at all, and
 * only one the viewer edits and runs (or whose link carries no trace) starts its own. Until then
 * the runtime says it is ready (a run would start it); after, it reports the real runtime's
 * status ("Starting Python…", "Python ready").
 */
import type { LoopLabBridge, StatusInfo } from '../../shared/ipc';

/** Before Python is needed: a run is possible, and starts it. */
export const NOT_STARTED: StatusInfo = { status: 'ready', message: 'Python starts when you run a program.' };

export interface LazyBridge extends LoopLabBridge {
  /** True once a run has asked for Python. */
  readonly started: boolean;
}

export function lazyBridge(create: () => LoopLabBridge): LazyBridge {
  let real: LoopLabBridge | null = null;
  let status: StatusInfo = NOT_STARTED;
  const listeners = new Set<(info: StatusInfo) => void>();
  const start = (): LoopLabBridge => {
    if (!real) {
      real = create();
      real.onStatus((info) => {
        status = info;
        for (const listener of listeners) listener(info);
      });
    }
    return real;
  };
  return {
    shell: 'web',
    get started() {
      return real !== null;
    },
    run: (input) => start().run(input),
    stop: async () => real?.stop(),
    status: async () => status,
    onStatus: (listener) => {
      listeners.add(listener);
      listener(status);
      return () => listeners.delete(listener);
    },
    openFile: () => start().openFile(),
    saveFile: (request) => start().saveFile(request),
    // An embedded player holds no lesson packs: it shows the one program it was given.
    openPack: async () => null,
    listPacks: async () => [],
    savePack: async () => undefined,
    removePack: async () => undefined,
    onPackChanged: () => () => undefined,
    saveLesson: async () => null,
  };
}
