"""sys.stdout and sys.stderr of a run: every write goes into the trace."""

import io

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
        return "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._rec.write(self._name, text)
        return len(text)

    def flush(self):
        pass


def _no_input(prompt=""):
    raise EOFError("Loop Lab programs cannot read input: input() has no keyboard here")
