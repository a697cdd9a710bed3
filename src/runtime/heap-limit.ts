/**
 * Bytes of memory (Python's WebAssembly heap and its in-memory files together) past which an
 * interpreter is refused more, unless its engine is given another cap (EngineConfig.heapLimitBytes).
 * A snapshot is a copy of that heap, so no real one is bigger: a store reading a larger size is
 * reading damage.
 */
export const DEFAULT_HEAP_LIMIT = 384 * 1024 * 1024;
