"""The doors a learner's program must find closed."""

import sys

_NATIVE_DOORS = ("ctypes", "_ctypes")


def close_native_doors():
    """ctypes could call the runtime's C functions directly (Emscripten's eval among them).
    Asyncio lessons never need it: importing it raises ImportError."""
    for name in _NATIVE_DOORS:
        sys.modules[name] = None
