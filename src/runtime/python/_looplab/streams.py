"""sys.stdout and sys.stderr of a run: every write goes into the trace."""

import codecs
import io

from .describe import type_name


_UNCHANGED = object()
_NEWLINES = ("", "\n", "\r", "\r\n")


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr of a run: every write goes into the trace.

    As python3's streams when its output goes to a pipe, the console being a UTF-8 terminal:
    ``encoding`` "utf-8", ``errors`` "strict" on stdout and "backslashreplace" on stderr,
    ``reconfigure()`` (encoding, errors, newline; line_buffering and write_through are kept and
    change nothing, as every write is shown at once) and ``buffer`` (bytes, shown as a UTF-8
    terminal shows them). Text written under another encoding or error handler is encoded as
    python3 would encode it (raising as it would) and shown as those bytes read by a UTF-8
    terminal: ``latin-1`` makes "é" one byte the terminal shows as U+FFFD. The tracer's own
    tracebacks and exit messages are written to the trace directly, in the defaults.
    """

    def __init__(self, rec, name):
        super().__init__()
        self._rec = rec
        self._name = name
        self._encoding = "utf-8"
        # As python3's: a lone surrogate (which a str may hold, and UTF-8 cannot) makes a write to
        # stdout raise UnicodeEncodeError, and is written to stderr as \udXXX (Recorder.printable).
        self._default_errors = "strict" if name == "stdout" else "backslashreplace"
        self._errors = self._default_errors
        self._plain = True  # the defaults: utf-8, and the stream's own error handler
        self._newline = None
        self._line_buffering = False
        self._write_through = False
        self._buffer = _Buffer(rec, name)

    @property
    def name(self):
        return "<" + self._name + ">"

    @property
    def encoding(self):
        return self._encoding

    @property
    def errors(self):
        return self._errors

    @property
    def line_buffering(self):
        return self._line_buffering

    @property
    def write_through(self):
        return self._write_through

    @property
    def buffer(self):
        return self._buffer

    def writable(self):
        return True

    def isatty(self):
        return False

    def reconfigure(self, *, encoding=None, errors=None, newline=_UNCHANGED, line_buffering=None,
                    write_through=None):
        """As ``io.TextIOWrapper.reconfigure`` (Modules/_io/textio.c): an encoding given without
        errors sets errors to "strict"; an unknown encoding raises LookupError, a newline other
        than None, "", "\n", "\r" or "\r\n" ValueError, and nothing changes."""
        for what, value in (("encoding", encoding), ("errors", errors)):
            if value is not None and not issubclass(type(value), str):
                raise TypeError(f"reconfigure() argument '{what}' must be str or None, not {type_name(value)}")
        if newline is not _UNCHANGED and newline is not None:
            if not issubclass(type(newline), str):
                raise TypeError(f"reconfigure() argument 'newline' must be str or None, not {type_name(newline)}")
            newline = str.__str__(newline)
            if newline not in _NEWLINES:
                raise ValueError(f"illegal newline value: {newline}")
        if encoding is not None:
            encoding = str.__str__(encoding)
            codec = codecs.lookup(encoding)
            if not codec._is_text_encoding:
                raise LookupError(f"{encoding!r} is not a text encoding; use codecs.open() to handle arbitrary codecs")
            self._encoding = encoding
            self._errors = "strict" if errors is None else str.__str__(errors)
        elif errors is not None:
            self._errors = str.__str__(errors)
        if newline is not _UNCHANGED:
            self._newline = newline
        if line_buffering is not None:
            self._line_buffering = bool(line_buffering)
        if write_through is not None:
            self._write_through = bool(write_through)
        self._plain = (codecs.lookup(self._encoding).name == "utf-8"
                       and self._errors == self._default_errors)

    def write(self, text):
        if not issubclass(type(text), str):  # its type, not a __class__ it claims (as PyUnicode_Check)
            raise TypeError(f"write() argument must be str, not {type_name(text)}")
        text = str.__str__(text)  # a plain str: a subclass's isascii() or encode() is the program's
        written = len(text)
        if self._newline in ("\r", "\r\n"):
            text = text.replace("\n", self._newline)
        if not self._plain:
            # Raises as python3's would (an 'ascii' stream and "é"): then nothing is written.
            text = text.encode(self._encoding, self._errors).decode("utf-8", "replace")
        elif self._name == "stdout" and not text.isascii():
            text.encode("utf-8")  # raises on a lone surrogate, and nothing is written, as in python3
        self._rec.write(self._name, text)
        return written

    def flush(self):
        pass


class _Buffer:
    """``sys.stdout.buffer`` (``sys.stderr.buffer``): bytes written there are shown as a UTF-8
    terminal shows them, a character cut between two writes joined, a byte that is not UTF-8
    as U+FFFD."""

    def __init__(self, rec, name):
        self._rec = rec
        self._name = name
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    @property
    def name(self):
        return "<" + self._name + ">"

    @property
    def mode(self):
        return "wb"

    @property
    def closed(self):
        return False

    def write(self, data):
        try:
            view = memoryview(data)
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type_name(data)}'") from None
        with view:
            size = view.nbytes
            text = self._decoder.decode(view.tobytes())
        if text:
            self._rec.write(self._name, text)
        return size

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def isatty(self):
        return False

    def flush(self):
        pass


def _no_input(prompt=""):
    raise EOFError("Loop Lab programs cannot read input: input() has no keyboard here")
