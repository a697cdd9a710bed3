"""sys.stdout and sys.stderr of a run: every write goes into the trace."""

import codecs
import io

from .headroom import HEADROOM, LAST, MOST, get_limit, set_limit

from .describe import type_name


class _Sink(io.BytesIO):
    """What a reconfigured stream's TextIOWrapper writes to: bytes, taken as soon as written.
    Not seekable, as python3's stdout writing to a pipe is not (so a UTF-16 stream writes no
    BOM after a reconfigure, as python3's does not)."""

    def seekable(self):
        return False

    def take(self):
        data = self.getvalue()
        self.seek(0)
        self.truncate()
        return data


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr of a run: every write goes into the trace.

    As python3's streams when its output goes to a pipe and the console is a UTF-8 terminal:
    ``encoding`` "utf-8", ``errors`` "strict" on stdout and "backslashreplace" on stderr, a
    ``buffer`` for bytes, and ``reconfigure()``. The console is a terminal that shows the
    bytes python3 would write, read as UTF-8: each stream keeps one byte decoder, fed by its
    buffer and, once reconfigured, by its text, so that a character cut between two writes
    is joined and a byte that is not UTF-8 shows as U+FFFD (as in a terminal).

    Until ``reconfigure()`` leaves the stream other than it began (another encoding, error
    handler or newline), text goes into the trace as it is written (the fast path: most
    programs print a lot). After, it goes through a real ``io.TextIOWrapper`` configured the
    same way (``self._wrapper``, over a sink of bytes): CPython's own reconfigure() checks the
    arguments, in its order and with its messages, and its own encoder writes the bytes
    (BOMs, error handlers, state kept across writes), so the console shows what python3's
    terminal would. The tracer's own tracebacks and exit messages are written to the trace
    directly, as UTF-8.
    """

    def __init__(self, rec, name):
        super().__init__()
        self._rec = rec
        self._name = name
        # As python3's: a lone surrogate (which a str may hold, and UTF-8 cannot) makes a write to
        # stdout raise UnicodeEncodeError, and is written to stderr as \udXXX (Recorder.printable).
        self._sink = _Sink()
        self._wrapper = io.TextIOWrapper(self._sink, encoding="utf-8",
                                         errors="strict" if name == "stdout" else "backslashreplace")
        self._reconfigured = False  # the fast path until reconfigure() changes how text is written
        self._bytes = codecs.getincrementaldecoder("utf-8")("replace")
        self._cut = False  # the last bytes written began a character not yet ended
        self._buffer = _Buffer(self)

    @property
    def name(self):
        return "<" + self._name + ">"

    def __repr__(self):
        return f"<_io.TextIOWrapper name={self.name!r} mode='w' encoding={self.encoding!r}>"

    @property
    def encoding(self):
        return self._wrapper.encoding

    @property
    def errors(self):
        return self._wrapper.errors

    @property
    def line_buffering(self):
        return self._wrapper.line_buffering

    @property
    def write_through(self):
        return self._wrapper.write_through

    @property
    def buffer(self):
        return self._buffer

    def writable(self):
        return True

    def isatty(self):
        return False

    def reconfigure(self, *args, **kwargs):
        """``io.TextIOWrapper.reconfigure``, CPython's own (Modules/_io/textio.c): what it
        refuses, it refuses with its messages, and what it changed before refusing stays
        changed, as in python3."""
        self._reconfigured = True  # even if it raises: a newline may have changed first
        self._wrapper.reconfigure(*args, **kwargs)

    def write(self, text):
        if not issubclass(type(text), str):  # its type, not a __class__ it claims (as PyUnicode_Check)
            raise TypeError(f"write() argument must be str, not {type_name(text)}")
        text = str.__str__(text)  # a plain str: a subclass's isascii() or encode() is the program's
        written = len(text)
        limit = get_limit()  # headroom for the tracer's own work (headroom.py), before any
        try:
            set_limit(limit)
        except RecursionError:
            raise RecursionError("maximum recursion depth exceeded") from None
        up = limit + HEADROOM if limit <= LAST else MOST
        set_limit(up)
        try:
            if self._reconfigured:
                # Past the output cap nothing more is shown (the run ends there): not encoded either.
                room = self._rec.max_output - self._rec.output_chars + 1
                self._wrapper.write(text if len(text) <= room else text[:max(room, 0)])
                self._wrapper.flush()
                self.write_bytes(self._sink.take())
                return written
            if self._name == "stdout" and not text.isascii():
                text.encode("utf-8")  # raises on a lone surrogate, and nothing is written, as in python3
            if self._cut and text:  # an empty write ends nothing: python3 writes no byte for it
                self.end_bytes()
            self._rec.write(self._name, text)
            return written
        finally:
            if get_limit() == up:  # else the program set its own meanwhile: it stays
                set_limit(limit)

    def write_bytes(self, data):
        """Bytes as python3 would write them to the terminal: shown as it reads them."""
        text = self._bytes.decode(data)
        self._cut = bool(self._bytes.getstate()[0])
        if text:
            self._rec.write(self._name, text)

    def end_bytes(self):
        """A character cut by the last bytes written, ended: shown as U+FFFD, as a terminal
        shows it once other output follows (or the program ends)."""
        text = self.cut_text()
        if text:
            self._rec.write(self._name, text)

    def cut_text(self):
        """What end_bytes() would show ("" or U+FFFD), taken and not written: the tracer puts it
        before a traceback it writes itself."""
        if not self._cut:
            return ""
        self._cut = False
        return self._bytes.decode(b"", True)

    def flush(self):
        pass


class _Buffer:
    """``sys.stdout.buffer`` (and ``sys.stderr.buffer``): bytes written there go to the
    terminal as they are (its stream shows them as a UTF-8 terminal does)."""

    def __init__(self, stream):
        self._stream = stream

    @property
    def name(self):
        return self._stream.name

    def __repr__(self):
        return f"<_io.BufferedWriter name={self.name!r}>"

    @property
    def mode(self):
        return "wb"

    @property
    def closed(self):
        return False

    def write(self, data):
        """As ``io.BufferedWriter.write``: any C-contiguous bytes-like object; returns its
        length in bytes. Past what the output cap can show (at most 4 bytes a character) the
        rest is not decoded: the run ends at the cap anyway."""
        try:
            view = memoryview(data)
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type_name(data)}'") from None
        with view:
            if not view.c_contiguous:
                raise BufferError("memoryview: underlying buffer is not C-contiguous")
            size = view.nbytes
            rec = self._stream._rec
            shown = 4 * max(rec.max_output - rec.output_chars + 1, 1)
            with view.cast("B") as flat:
                data = flat[:shown].tobytes()
        limit = get_limit()  # headroom for the tracer's own work (headroom.py)
        try:
            set_limit(limit)
        except RecursionError:
            raise RecursionError("maximum recursion depth exceeded") from None
        up = limit + HEADROOM if limit <= LAST else MOST
        set_limit(up)
        try:
            self._stream.write_bytes(data)
        finally:
            if get_limit() == up:  # else the program set its own meanwhile: it stays
                set_limit(limit)
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
