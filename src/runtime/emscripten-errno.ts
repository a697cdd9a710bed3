/**
 * The errno values Loop Lab's JavaScript gives Emscripten's file system and syscalls, in
 * Emscripten's numbering (ERRNO_CODES in pyodide.asm.mjs, Pyodide 314.0.7), not Linux's: a
 * program sees them through Python's errno module, which Pyodide builds with the same numbers
 * (28, Linux's ENOSPC, is Emscripten's EINVAL: a program once read "Invalid argument").
 */

/** "Resource temporarily unavailable" (BlockingIOError): a full pipe. */
export const EAGAIN = 6;
/** "No route to host": a program's own socket's peer. */
export const EHOSTUNREACH = 23;
/** "Invalid argument". */
export const EINVAL = 28;
/** "Input/output error": a write to the trace device that was not a well-formed frame. */
export const EIO = 29;
/** "Filename too long". */
export const ENAMETOOLONG = 37;
/** "No space left on device": the memory cap reached by files. */
export const ENOSPC = 51;
/** "Function not implemented": system(). */
export const ENOSYS = 52;
/** "Not supported": a program's own socket's listen. */
export const EOPNOTSUPP = 138;
