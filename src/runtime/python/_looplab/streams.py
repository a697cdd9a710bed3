"""sys.stdout and sys.stderr of a run: every write goes into the trace."""

import io

from .describe import type_name


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr of a run: every write goes into the trace."""

    def __init__(self, rec, name):
        super().__init__()
        self._rec = rec
        self._name = name

    @property
    def name(self):
        return "<" + self._name + ">"

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        # As python3's: a lone surrogate (which a str may hold, and UTF-8 cannot) makes a write to
        # stdout raise UnicodeEncodeError, and is written to stderr as \udXXX (Recorder.printable).
        return "strict" if self._name == "stdout" else "backslashreplace"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not issubclass(type(text), str):  # its type, not a __class__ it claims (as PyUnicode_Check)
            raise TypeError(f"write() argument must be str, not {type_name(text)}")
        text = str.__str__(text)  # a plain str: a subclass's isascii() or encode() is the program's
        if self._name == "stdout" and not text.isascii():
            text.encode("utf-8")  # raises on a lone surrogate, and nothing is written, as in python3
        self._rec.write(self._name, text)
        return len(text)

    def flush(self):
        pass


def _no_input(prompt=""):
    raise EOFError("Loop Lab programs cannot read input: input() has no keyboard here")
