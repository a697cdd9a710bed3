/**
 * What a program's files hold counts toward the interpreter's memory cap, and nothing a program
 * chooses is kept by the file system's JavaScript without a bound. The in-memory file system
 * (Emscripten's MEMFS and PIPEFS) lives in the worker's JavaScript heap, beside the
 * WebAssembly memory the cap otherwise measures. Each place it keeps bytes a program chose has
 * a limit:
 * - **file contents:** a write or a resize past the cap fails with ENOSPC ("No space left on
 *   device"), an OSError at the program's line (errno 51 in Emscripten's numbering; 28, used
 *   before, is its EINVAL: the program read "Invalid argument"). Counted per file, not per name: a file deleted
 *   while open keeps its bytes counted until its last close (a reviewer's attack held 2.5 GB
 *   in 40 deleted files it kept open, while the cap read 39 MB);
 * - **names and links:** Linux's limits, 255 bytes a name and 4,096 a path or link target
 *   (ENAMETOOLONG), and each file, folder or link made counts NODE_BYTES, its name and its
 *   target (300 links with 4 MB targets held 1.2 GB);
 * - **pipes:** at most PIPE_BYTES unread in a pipe; a write past it writes what fits, then fails
 *   with EAGAIN (BlockingIOError). python3 would wait for a reader, and here no other thread can
 *   read: one pipe held 1 GB;
 * - **directory listings:** a folder's names, copied for each directory stream that reads it,
 *   count LISTING_ENTRY_BYTES and two bytes a character while an open stream holds them;
 * - **pipe ends and sockets:** Emscripten keeps their nodes and streams after they are closed,
 *   for good: a socket counts SOCKET_BYTES when made, a pipe end NODE_BYTES. A pipe's buffers
 *   are its own until both its ends are closed (PIPEFS frees them then, read or not): its first
 *   buffer (PIPE_BUFFER_BYTES) and the bytes it holds unread count while it is open. 3.8
 *   million sockets made and closed grew the worker by 3 GB, and 4,090 pipes held 255 MB
 *   unread, while the cap counted 30 MB; counted as if full and kept for good (64 KiB each),
 *   5,576 empty pipes made and closed reached the cap, and 7,397 closed with 40 KB unread.
 * Files made before the cap (the standard library's zip) are not counted, and shrinking or
 * deleting one gives nothing back (deleting the zip raised the cap by 7 MB).
 * One interpreter per worker: the count is this module's.
 */

import { EAGAIN, ENAMETOOLONG, ENOSPC } from './emscripten-errno';

/** Linux's NAME_MAX and PATH_MAX, in bytes of UTF-8. */
const NAME_MAX = 255;
const PATH_MAX = 4096;
/**
 * Bytes counted for each file, folder, link, pipe end or socket made, beside its name: about
 * what its JavaScript objects take (900,000 folders grew the worker by ~417 MB here: 256 was half).
 */
export const NODE_BYTES = 512;
/**
 * Bytes counted for each socket made, kept for good: a socket made and closed grew the worker
 * by ~750 bytes here (3.8 million: 3 GB); its node, stream and socket state together.
 */
export const SOCKET_BYTES = 1024;
/**
 * Bytes counted for each name of a directory listing a stream keeps, beside two a character:
 * the array's slot and, for names V8 makes anew (digits: array-index keys), the string's own
 * header. Measured: 1,000 listings of 20,002 names of up to 5 digits grew the worker by 378 MB
 * (~19 bytes a name; counted ~25).
 */
const LISTING_ENTRY_BYTES = 16;
/** The most a pipe holds unread, in bytes: Linux's default pipe capacity. */
export const PIPE_BYTES = 64 * 1024;
/** The buffer every pipe is made with, in bytes, empty or not (PIPEFS.BUCKET_BUFFER_SIZE in pyodide.asm.mjs). */
export const PIPE_BUFFER_BYTES = 8192;

export interface MemFsNode {
  contents: Uint8Array | Int8Array | Record<string, MemFsNode> | null;
  /** A file's length, in bytes (its contents' capacity may be more). */
  usedBytes?: number;
  mode: number;
  /** A pipe end's pipe; PIPEFS sets `buckets` to null when its last end closes. */
  pipe?: { buckets: { offset: number; roffset: number }[] | null };
}

export type FileWrite = (stream: { node: MemFsNode }, buffer: Uint8Array, offset: number, length: number, position: number, canOwn?: boolean) => number;

interface DirNodeOps {
  unlink(parent: MemFsNode, name: string): void;
  rmdir(parent: MemFsNode, name: string): void;
  rename(node: MemFsNode, dir: MemFsNode, name: string): void;
}

interface MemFs {
  ops_table: { file: { stream: { write: FileWrite } }; dir: { node: DirNodeOps } } | null;
  stream_ops: { write: FileWrite };
  resizeFileStorage(node: MemFsNode, size: number): void;
}

/** A stream's read operation, as Emscripten calls it: bytes read into `buffer` at `offset`. */
type StreamRead = (stream: { node: MemFsNode }, buffer: Uint8Array, offset: number, length: number, position: number) => number;

interface Stream {
  node: MemFsNode;
  /** A directory stream's copy of its folder's names, made at its first read (getdents64); null once rewound. */
  getdents?: string[] | null;
  stream_ops: { write: FileWrite; read: StreamRead; close(stream: { node: MemFsNode }): void };
}

/** The parts of Emscripten's FS this module caps (not in Pyodide's public types). */
export interface CappedFS {
  ErrnoError: new (errno: number) => Error;
  filesystems: { MEMFS: MemFs };
  streams: (Stream | null | undefined)[];
  getStream(fd: number): Stream | null;
  mknod(path: string, mode: number, dev: number): MemFsNode;
  symlink(oldpath: string, newpath: string): MemFsNode;
  rename(oldPath: string, newPath: string): void;
  close(stream: Stream): void;
  createNode(parent: MemFsNode | null, name: string, mode: number, rdev: number): MemFsNode;
  /** A folder's names, "." and ".." among them: a new array each call. */
  readdir(path: string): string[];
  /** A copy of a stream on another descriptor (os.dup, dup2, fcntl F_DUPFD): Object.assign of its own fields. */
  dupStream(stream: Stream, fd?: number): Stream;
  /** The class of every stream (createStream makes each with `new FSStream`). */
  FSStream: { prototype: object };
}

/** File types, from a node's mode (S_IFMT), whose nodes Emscripten never frees: pipe ends and sockets. */
const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;

/** Bytes written to a pipe (either end's node) and not yet read. */
function unreadIn(node: MemFsNode): number {
  return (node.pipe?.buckets ?? []).reduce((sum, bucket) => sum + bucket.offset - bucket.roffset, 0);
}

/** Bytes counted for the program's files, names and links, in this worker (listings aside). */
let countedBytes = 0;
/** Bytes of the directory listings open streams hold now (capFileSystem sets how they are found). */
let heldListingBytes: () => number = () => 0;

/** Bytes the program's files, names, links and directory listings hold, as counted toward the memory cap. */
export function fileBytes(): number {
  return countedBytes + heldListingBytes();
}

const utf8 = new TextEncoder();
/**
 * ArrayBuffer.isView as this module loads, before any program: the file caps count every file
 * with it. The realm lock freezes ArrayBuffer once Python is up (realm-lockdown.ts); looked up at
 * the time, a program's own `isView` (false) had every file count nothing (atk-review).
 */
const isView = ArrayBuffer.isView;
/**
 * Bytes a file's contents take. Any typed array: a file's first write keeps a slice of the
 * bytes written, an Int8Array when they came from the interpreter's memory (HEAP8), which
 * `instanceof Uint8Array` took for no contents at all: a file written in one go was never counted.
 */
const capacity = (node: MemFsNode | undefined): number =>
  node && isView(node.contents) ? node.contents.byteLength : 0;
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A file this long or longer grows in place (growFile); a shorter one is copied into twice its room. */
const IN_PLACE_BYTES = 1024 * 1024;
/** What a file growing in place is grown to a multiple of: 64 KiB, so that few writes resize it. */
const GROWTH_STEP = 64 * 1024;

/**
 * Gives a file that a write is about to extend room for at least `needed` bytes. Emscripten's
 * MEMFS grows a file past 1 MB by 1.125× and copies it each time (expandFileStorage in
 * pyodide.asm.mjs): a file written 8 MB at a time was copied at almost every write, ~3 GB on
 * the way to 300 MB, and the run was stopped after 8 s "stuck inside one long operation"
 * (python3: 1.1 s for 320 MB here, most of it the kernel's first touches of fresh memory).
 *
 * A file of IN_PLACE_BYTES or more is held in a resizable ArrayBuffer whose view follows its
 * length, and grows in place to `needed` rounded up to GROWTH_STEP: no copy, no second buffer
 * alive beside it, and no room counted that it has not filled (a first version doubled files
 * instead: a fresh attacker's program held 1 GB for the 384 MB cap while the copies were alive,
 * had another file's writes refused for room one file had not filled, and made one appended byte
 * copy 180 MB). It may grow up to `room` (what the cap leaves it now); past that it is moved to a
 * new one, once. A smaller file is copied into twice its room, as Emscripten does below 1 MB.
 */
function growFile(node: MemFsNode, needed: number, room: number): void {
  const old = node.contents;
  if (!isView(old)) return; // not one Emscripten has grown: left to it
  const target = Math.min(room, Math.ceil(needed / GROWTH_STEP) * GROWTH_STEP);
  const buffer = old.buffer;
  if (buffer instanceof ArrayBuffer && buffer.resizable && target <= buffer.maxByteLength && old.byteOffset === 0) {
    buffer.resize(target);
    // The view follows it if it was made without a length (growFile's are); else a new one does.
    if (old.byteLength !== target) node.contents = new Uint8Array(buffer);
    return;
  }
  const used = Math.min(node.usedBytes ?? 0, old.byteLength);
  let grown: Uint8Array;
  if (needed >= IN_PLACE_BYTES) {
    try {
      grown = new Uint8Array(new ArrayBuffer(target, { maxByteLength: room }));
    } catch {
      grown = new Uint8Array(target); // no reservation to be had: a buffer of its own
    }
  } else {
    grown = new Uint8Array(Math.max(needed, Math.min(old.byteLength * 2, room)));
  }
  grown.set(new Uint8Array(old.buffer, old.byteOffset, used));
  node.contents = grown;
}

/**
 * Caps `fs` as the module's comment says. `heapBytes`: the WebAssembly memory's size now;
 * `capBytes`: the cap on it and the files together. `pipeWriter`: the fd of a pipe's writing
 * end made for this (its stream operations are PIPEFS's own, which nothing else reaches), or
 * null; the caller closes it.
 */
export function capFileSystem(fs: CappedFS, heapBytes: () => number, capBytes: number, pipeWriter: number | null): void {
  const memfs = fs.filesystems.MEMFS;
  const table = memfs.ops_table;
  if (!table) return;
  /** Bytes counted for each node made or grown since the cap: its contents, name and link target. */
  const counted = new WeakMap<MemFsNode, number>();
  /** Nodes whose last name is gone while a stream still has them open: given back at the last close. */
  const unlinkedOpen = new Set<MemFsNode>();
  const refuseBeyond = (more: number): void => {
    if (more > 0 && heapBytes() + fileBytes() + more > capBytes) throw new fs.ErrnoError(ENOSPC);
  };
  /** Counts `delta` more bytes for `node` (never below none: what was there before the cap was never counted). */
  const count = (node: MemFsNode, delta: number): void => {
    const before = counted.get(node) ?? 0;
    const after = Math.max(0, before + delta);
    counted.set(node, after);
    countedBytes += after - before;
  };
  const isOpen = (node: MemFsNode): boolean => fs.streams.some((stream) => stream?.node === node);
  /** `node` lost its last name: its bytes are given back now, or at its last close. */
  const removed = (node: MemFsNode | undefined): void => {
    if (node === undefined) return;
    if (isOpen(node)) {
      unlinkedOpen.add(node);
      return;
    }
    countedBytes -= counted.get(node) ?? 0;
    counted.delete(node);
  };
  const checkName = (path: string): number => {
    const nameBytes = utf8.encode(nameOf(path)).length;
    if (nameBytes > NAME_MAX || utf8.encode(path).length > PATH_MAX) throw new fs.ErrnoError(ENAMETOOLONG);
    return nameBytes;
  };

  // Contents.
  const write = table.file.stream.write;
  const cappedWrite: FileWrite = (stream, buffer, offset, length, position, canOwn) => {
    const node = stream.node;
    const before = capacity(node);
    const needed = position + length;
    refuseBeyond(needed - before);
    if (needed > before && !canOwn && ((node.usedBytes ?? 0) > 0 || position > 0)) {
      // Emscripten would grow it by 1.125× (see growFile); grown here first, it has room.
      growFile(node, needed, capBytes - heapBytes() - fileBytes() + before);
    }
    const written = write(stream, buffer, offset, length, position, canOwn);
    count(node, capacity(node) - before);
    return written;
  };
  table.file.stream.write = cappedWrite;
  memfs.stream_ops.write = cappedWrite;
  const resize = memfs.resizeFileStorage.bind(memfs);
  memfs.resizeFileStorage = (node, size) => {
    const before = capacity(node);
    refuseBeyond(size - before);
    resize(node, size);
    count(node, capacity(node) - before);
  };

  // Names and links.
  const mknod = fs.mknod.bind(fs);
  fs.mknod = (path, mode, dev) => {
    const more = NODE_BYTES + checkName(path);
    refuseBeyond(more);
    const node = mknod(path, mode, dev);
    count(node, more);
    return node;
  };
  const symlink = fs.symlink.bind(fs);
  fs.symlink = (oldpath, newpath) => {
    const targetBytes = utf8.encode(oldpath).length;
    if (targetBytes > PATH_MAX) throw new fs.ErrnoError(ENAMETOOLONG);
    const more = NODE_BYTES + checkName(newpath) + targetBytes;
    refuseBeyond(more);
    const node = symlink(oldpath, newpath);
    count(node, more);
    return node;
  };
  const rename = fs.rename.bind(fs);
  fs.rename = (oldPath, newPath) => {
    checkName(newPath);
    rename(oldPath, newPath);
  };

  // What is removed gives its bytes back (a file still open, at its last close).
  const dirOps = table.dir.node;
  const entry = (dir: MemFsNode, name: string): MemFsNode | undefined => (dir.contents as Record<string, MemFsNode>)[name];
  const unlink = dirOps.unlink;
  dirOps.unlink = (parent, name) => {
    const gone = entry(parent, name);
    unlink(parent, name);
    removed(gone);
  };
  const rmdir = dirOps.rmdir;
  dirOps.rmdir = (parent, name) => {
    const gone = entry(parent, name);
    rmdir(parent, name);
    removed(gone);
  };
  const renameNode = dirOps.rename;
  dirOps.rename = (node, dir, name) => {
    const replaced = entry(dir, name);
    renameNode(node, dir, name);
    if (replaced !== node) removed(replaced);
  };
  // Directory listings: a directory stream keeps a copy of its folder's names from its first
  // read (getdents64: `stream.getdents ||= FS.readdir(path)`) until it is closed or rewound
  // (FS.close and a seek to 0 set it to null). A fresh attacker's 1,000 open listings of a
  // 20,000-name folder held 378 MB the cap never saw, and 4,000 ended the worker ("JS heap out
  // of memory"). Counted by what the streams hold, each listing once, as they take and drop it:
  // a duplicated descriptor (os.dup: FS.dupStream) shares its stream's listing, and kept it
  // alive uncounted when the first close gave the count back (4,000 held, 0 counted, the worker
  // ended), and a rewound one (os.listdir(fd) rewinds before it closes) was never given back
  // (725 listings refused a correct program): second attacker's findings. A sum over the open
  // streams at every check, their first fix, made 4,000 held listings cost ~0.4 ms per counted
  // operation (a third attacker's: 20,000 files made took 10 s against 2): `getdents` is an
  // accessor now, and each listing counts while at least one stream holds it.
  const listings = new WeakMap<string[], number>();
  const listingBytes = (names: string[]): number => names.reduce((sum, name) => sum + LISTING_ENTRY_BYTES + 2 * name.length, 0);
  const readdir = fs.readdir.bind(fs);
  fs.readdir = (path) => {
    const names = readdir(path);
    const bytes = listingBytes(names);
    refuseBeyond(bytes);
    listings.set(names, bytes);
    return names;
  };
  /** Each listing a stream holds, and how many streams hold it; their weight, summed once each. */
  const holders = new Map<string[], number>();
  let heldBytes = 0;
  const listingOf = new WeakMap<object, string[]>();
  Object.defineProperty(fs.FSStream.prototype, 'getdents', {
    configurable: true,
    get(this: object): string[] | null {
      return listingOf.get(this) ?? null;
    },
    set(this: object, listing: string[] | null | undefined) {
      const before = listingOf.get(this);
      if (before === listing) return;
      if (before !== undefined) {
        const left = holders.get(before)! - 1;
        if (left > 0) holders.set(before, left);
        else {
          holders.delete(before);
          heldBytes -= listings.get(before) ?? 0;
        }
        listingOf.delete(this);
      }
      if (Array.isArray(listing)) {
        const held = holders.get(listing) ?? 0;
        if (held === 0) {
          if (!listings.has(listing)) listings.set(listing, listingBytes(listing)); // not made by readdir above
          heldBytes += listings.get(listing)!;
        }
        holders.set(listing, held + 1);
        listingOf.set(this, listing);
      }
    },
  });
  heldListingBytes = () => heldBytes;
  // The copy shares the listing, as Emscripten's own copy of the field did (the accessor keeps
  // it off the stream's own fields, which are what FS.dupStream copies).
  const dupStream = fs.dupStream.bind(fs);
  fs.dupStream = (stream, fd) => {
    const copy = dupStream(stream, fd);
    const listing = listingOf.get(stream);
    if (listing !== undefined) copy.getdents = listing;
    return copy;
  };
  const close = fs.close.bind(fs);
  fs.close = (stream) => {
    const node = stream.node;
    close(stream);
    if (unlinkedOpen.has(node) && !isOpen(node)) {
      unlinkedOpen.delete(node);
      removed(node);
    }
  };

  // Pipe ends and sockets: counted as they are made (their nodes are made by FS.createNode).
  const createNode = fs.createNode.bind(fs);
  fs.createNode = (parent, name, mode, rdev) => {
    const type = mode & S_IFMT;
    // A pipe end: its node for good, and half its pipe's first buffer until the pipe is freed (below).
    const kept = type === S_IFIFO ? NODE_BYTES + PIPE_BUFFER_BYTES / 2 : type === S_IFSOCK ? SOCKET_BYTES : 0;
    refuseBeyond(kept);
    const node = createNode(parent, name, mode, rdev);
    if (kept > 0) countedBytes += kept; // the nodes for good (Emscripten never frees them); a pipe's buffer until it is freed
    return node;
  };

  // Pipes: at most PIPE_BYTES unread each, counted while unread (the bytes a read takes out
  // are given back); when the last end closes, PIPEFS drops its buffers, and the count gives
  // back its first buffer and what was left unread.
  const pipeOps = pipeWriter === null ? null : fs.getStream(pipeWriter)?.stream_ops;
  if (pipeOps) {
    const pipeWrite = pipeOps.write;
    pipeOps.write = (stream, buffer, offset, length, position) => {
      const room = PIPE_BYTES - unreadIn(stream.node);
      if (length > 0 && room <= 0) throw new fs.ErrnoError(EAGAIN);
      const taking = Math.min(length, room);
      refuseBeyond(taking);
      const written = pipeWrite(stream, buffer, offset, taking, position);
      countedBytes += written;
      return written;
    };
    const pipeRead = pipeOps.read;
    pipeOps.read = (stream, buffer, offset, length, position) => {
      const read = pipeRead(stream, buffer, offset, length, position);
      countedBytes -= read;
      return read;
    };
    const pipeClose = pipeOps.close;
    pipeOps.close = (stream) => {
      const pipe = stream.node.pipe;
      const unread = unreadIn(stream.node);
      const held = pipe?.buckets != null;
      pipeClose(stream);
      if (held && pipe?.buckets === null) countedBytes -= PIPE_BUFFER_BYTES + unread; // freed by its last end's close
    };
  }
}
