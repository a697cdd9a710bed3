/**
 * The contract between the UI and the host that runs programs for it: the channel map the
 * Electron main process and the preloads share, and the one bridge interface the renderer
 * sees in both shells (Electron's preload, or the browser edition's in-page host).
 *
 * Main checks every message against this map: who may send it, and what its payload must be.
 */
import * as v from 'valibot';
import { PACK_LIMITS, type PackSource } from './lesson';
import type { RunOptions, Trace, TraceFile } from './trace';
import { ABORT_EARLY } from './abort-early';

/** A run the UI asks for. */
export interface RunInput {
  source: string;
  filename: string;
  options?: RunOptions;
}

/**
 * The runtime's state, as the status bar shows it. Checked where it crosses a process (Electron's
 * runtime window to main): what comes out is a new object of these fields only.
 */
export const StatusInfoSchema = v.object({
  status: v.picklist(['starting', 'ready', 'running', 'restarting', 'failed']),
  /**
   * A sentence for the status bar: "Starting Python…", "Ready", "Restarting Python…"; a failure's
   * (which may quote an error) is cut to 500 characters, not refused.
   */
  message: v.pipe(
    v.string(),
    v.transform((text) => (text.length > 500 ? `${text.slice(0, 499)}…` : text)),
  ),
  /** Real ms the interpreter took to start. */
  startupMs: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  pythonVersion: v.optional(v.pipe(v.string(), v.maxLength(64))),
  /** With `ready`: true when the interpreter was restored from the kept snapshot, false when it started cold. */
  restored: v.optional(v.boolean()),
});
export type StatusInfo = v.InferOutput<typeof StatusInfoSchema>;
export type RuntimeStatus = StatusInfo['status'];

/** A status as another process sent it: a new object of the contract's fields, or null if it is not one. */
export function parseStatusInfo(value: unknown): StatusInfo | null {
  const result = v.safeParse(StatusInfoSchema, value, ABORT_EARLY);
  return result.success ? result.output : null;
}

/** A program file the learner opened from disk. */
export interface OpenedFile {
  name: string;
  /** The text, when it could be read as UTF-8. */
  text: string | null;
  /** Why it could not be opened, when it could not. */
  error: string | null;
}

export interface SaveRequest {
  suggestedName: string;
  text: string;
}

/** Where a teacher's lesson pack is chosen from: a folder of lesson folders, or a .zip of one. */
export type PackKind = PackSource['kind'];

/** A pack the teacher chose, read (not yet loaded: src/lessons/pack.ts does that). */
export interface OpenedPack {
  source: PackSource;
  /**
   * Desktop app, a folder: a token for the folder, which main keeps (the renderer never sees
   * or sends the path). Given back with savePack, main watches the folder and sends
   * packChanged when the teacher edits it. Null in the browser and for a .zip.
   */
  watch: string | null;
}

/**
 * A pack kept on this computer, so that it is still there after a restart (IndexedDB in the
 * browser, the user-data folder in Electron) until "Remove pack".
 */
export interface StoredPack {
  /** LessonPack.id: opening a pack with the same id replaces it. */
  id: string;
  /** The folder's or .zip's name it came from. */
  name: string;
  kind: PackKind;
  /** Its files, zipped (src/lessons/pack-zip.ts zipPack). */
  zip: Uint8Array;
  /** When it was last read, in ms since 1970. */
  savedAt: number;
}

/** A kept pack's folder was edited (desktop app): its files as they are now. */
export interface PackChange {
  id: string;
  source: PackSource;
}

/** "Save as lesson…": a new lesson folder's name (`01-my-lesson`) and its files. */
export interface LessonSaveRequest {
  folder: string;
  files: { name: string; text: string }[];
}

/** Renderer → main requests (ipcRenderer.invoke / ipcMain.handle). */
export const INVOKE = {
  run: 'looplab:run',
  stop: 'looplab:stop',
  status: 'looplab:status',
  openFile: 'looplab:open-file',
  saveFile: 'looplab:save-file',
  openPack: 'looplab:open-pack',
  listPacks: 'looplab:list-packs',
  savePack: 'looplab:save-pack',
  removePack: 'looplab:remove-pack',
  saveLesson: 'looplab:save-lesson',
} as const;

/** Main → renderer notifications. */
export const NOTIFY = {
  status: 'looplab:status-changed',
  packChanged: 'looplab:pack-changed',
} as const;

/** Main ↔ the hidden runtime window, which holds the Python worker. */
export const RUNTIME = {
  /** main → runtime window: run this ({ requestId, input }). */
  run: 'looplab-runtime:run',
  /** main → runtime window: stop the run in progress. */
  stop: 'looplab-runtime:stop',
  /** runtime window → main: a run's trace ({ requestId, trace: TraceFile }). */
  result: 'looplab-runtime:result',
  /** runtime window → main: the runtime's status changed. */
  status: 'looplab-runtime:status',
  /** runtime window → main (invoke): the interpreter snapshot kept in the user-data folder, or null. */
  snapshotLoad: 'looplab-runtime:snapshot-load',
  /** runtime window → main (invoke): keep this snapshot (bytes, made before any program ran). */
  snapshotSave: 'looplab-runtime:snapshot-save',
  /** runtime window → main (invoke): forget the snapshot (it could not be restored). */
  snapshotDrop: 'looplab-runtime:snapshot-drop',
} as const;

/** The largest snapshot main accepts from the runtime window, in bytes (one is about 31.5 MB). */
export const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024;

export interface InvokeMap {
  /** The trace in its packed form (checked by main); the preload unpacks it. */
  [INVOKE.run]: { args: [RunInput]; result: TraceFile };
  [INVOKE.stop]: { args: []; result: void };
  [INVOKE.status]: { args: []; result: StatusInfo };
  [INVOKE.openFile]: { args: []; result: OpenedFile | null };
  [INVOKE.saveFile]: { args: [SaveRequest]; result: string | null };
  [INVOKE.openPack]: { args: [PackKind]; result: OpenedPack | null };
  [INVOKE.listPacks]: { args: []; result: StoredPack[] };
  [INVOKE.savePack]: { args: [StoredPack, string | null]; result: void };
  [INVOKE.removePack]: { args: [string]; result: void };
  [INVOKE.saveLesson]: { args: [LessonSaveRequest]; result: string | null };
}

export interface RuntimeRunMessage {
  requestId: number;
  input: RunInput;
}

export interface RuntimeResultMessage {
  requestId: number;
  /** The trace in its packed form; main checks it in full before it goes on to the learner's window. */
  trace: TraceFile;
}

/** Everything the renderer may ask of its host: one function per operation. */
export interface LoopLabBridge {
  readonly shell: 'electron' | 'web';
  run(input: RunInput): Promise<Trace>;
  stop(): Promise<void>;
  status(): Promise<StatusInfo>;
  onStatus(listener: (info: StatusInfo) => void): () => void;
  openFile(): Promise<OpenedFile | null>;
  saveFile(request: SaveRequest): Promise<string | null>;
  /** Asks the teacher for a lesson pack (a folder or a .zip) and reads it; null when they cancel. */
  openPack(kind: PackKind): Promise<OpenedPack | null>;
  /** The packs kept on this computer (a watched folder's as it is now). */
  listPacks(): Promise<StoredPack[]>;
  /** Keeps a pack (replacing one with its id); `watch` is OpenedPack.watch. */
  savePack(pack: StoredPack, watch: string | null): Promise<void>;
  removePack(id: string): Promise<void>;
  /** Calls `listener` when a kept pack's folder is edited (desktop app; never in the browser). */
  onPackChanged(listener: (change: PackChange) => void): () => void;
  /** Writes a new lesson folder (desktop: into a folder the teacher picks; browser: a .zip download); its name, or null. */
  saveLesson(request: LessonSaveRequest): Promise<string | null>;
}

/**
 * What the runtime window's preload exposes to the runtime page: take runs and answer them,
 * report status, and keep the interpreter snapshot in the user-data folder (the runtime window
 * has its own in-memory session, with no storage of its own). Nothing else.
 */
export interface RuntimeWindowBridge {
  onRun(handler: (message: RuntimeRunMessage) => void): void;
  onStop(handler: () => void): void;
  sendResult(message: RuntimeResultMessage): void;
  sendStatus(info: StatusInfo): void;
  loadSnapshot(): Promise<Uint8Array | null>;
  saveSnapshot(bytes: Uint8Array): Promise<void>;
  dropSnapshot(): Promise<void>;
}

// ----------------------------------------------------------------------------- payload checks

export const MAX_SOURCE_CHARS = 2_000_000;
const MAX_FILENAME_CHARS = 255;

function isFiniteInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function parseRunOptions(value: unknown): RunOptions | null {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const options: RunOptions = {};
  for (const key of Object.keys(raw)) {
    const v = raw[key];
    if (key === 'maxSteps' && isFiniteInRange(v, 1, 10_000_000)) options.maxSteps = Math.floor(v);
    else if (key === 'wallSeconds' && isFiniteInRange(v, 0.05, 600)) options.wallSeconds = v;
    else if (key === 'maxOutputChars' && isFiniteInRange(v, 1, 10_000_000)) options.maxOutputChars = Math.floor(v);
    else if (key === 'verify' && typeof v === 'boolean') options.verify = v;
    else return null;
  }
  return options;
}

/** The run request, if `value` is a well-formed one; null otherwise. */
export function parseRunInput(value: unknown): RunInput | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const allowed = new Set(['source', 'filename', 'options']);
  if (Object.keys(raw).some((k) => !allowed.has(k))) return null;
  if (typeof raw.source !== 'string' || raw.source.length > MAX_SOURCE_CHARS) return null;
  if (typeof raw.filename !== 'string' || raw.filename.length === 0 || raw.filename.length > MAX_FILENAME_CHARS) {
    return null;
  }
  if (/[\0/\\]/.test(raw.filename)) return null;
  const options = parseRunOptions(raw.options);
  if (options === null) return null;
  return { source: raw.source, filename: raw.filename, options };
}

export function parseSaveRequest(value: unknown): SaveRequest | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  if (Object.keys(raw).length !== 2) return null;
  if (typeof raw.suggestedName !== 'string' || raw.suggestedName.length > MAX_FILENAME_CHARS) return null;
  if (/[\0/\\]/.test(raw.suggestedName)) return null;
  if (typeof raw.text !== 'string' || raw.text.length > MAX_SOURCE_CHARS) return null;
  return { suggestedName: raw.suggestedName, text: raw.text };
}

/** A pack's id (LessonPack.id): made by slugify, so lower-case letters, digits and dashes. */
const PackIdSchema = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,99}$/));
/** A name to show: no path separators or control characters. */
const ShownNameSchema = v.pipe(v.string(), v.maxLength(MAX_FILENAME_CHARS), v.regex(/^[^\0-\x1f/\\]+$/));

const StoredPackSchema = v.strictObject({
  id: PackIdSchema,
  name: ShownNameSchema,
  kind: v.picklist(['folder', 'zip']),
  zip: v.pipe(v.instance(Uint8Array), v.check((bytes) => bytes.length <= PACK_LIMITS.maxZipBytes)),
  savedAt: v.pipe(v.number(), v.finite()),
});

const LessonSaveSchema = v.strictObject({
  folder: v.pipe(v.string(), v.regex(/^\d{1,4}-[a-z0-9][a-z0-9-]{0,99}$/)),
  files: v.pipe(
    v.array(
      v.strictObject({
        name: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/), v.check((name) => !name.includes('..'))),
        text: v.pipe(v.string(), v.maxLength(MAX_SOURCE_CHARS)),
      }),
    ),
    v.maxLength(10),
  ),
});

export function parsePackKind(value: unknown): PackKind | null {
  return value === 'folder' || value === 'zip' ? value : null;
}

export function parsePackId(value: unknown): string | null {
  const result = v.safeParse(PackIdSchema, value, ABORT_EARLY);
  return result.success ? result.output : null;
}

export function parseStoredPack(value: unknown): StoredPack | null {
  const result = v.safeParse(StoredPackSchema, value, ABORT_EARLY);
  return result.success ? result.output : null;
}

export function parseLessonSave(value: unknown): LessonSaveRequest | null {
  const result = v.safeParse(LessonSaveSchema, value, ABORT_EARLY);
  return result.success ? result.output : null;
}

/** A watch token main handed out (OpenedPack.watch), or null. */
export function parseWatchToken(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value) ? value : undefined;
}
