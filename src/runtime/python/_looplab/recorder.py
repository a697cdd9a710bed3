"""One run's trace: its events, its limits, and the identities of the tasks and handles it met."""

import array
import functools
import itertools
import math
import re
import sys
import time
import weakref
from asyncio.base_events import BaseEventLoop as _BaseEventLoop

from .callables import callable_code, callable_label, coroutine_name, plain_text, task_coroutine, task_loop, task_name
from .identity import address_key, own_attribute
from .inside import Inside, brief
from .observe import LoopObserver, code_and_frame, is_task, real_code, step_of
from .stop import StopProgram

DEFAULT_MAX_STEPS = 1_000_000  # line events (src/shared/trace.ts DEFAULT_MAX_STEPS)
DEFAULT_MAX_EVENTS = 200_000  # other events: each costs the player ~100 bytes
DEFAULT_MAX_OUTPUT = 2_000_000  # characters
DEFAULT_WALL_SECONDS = 30.0  # real seconds in all (the host also ends a run that stalls)
# Characters of an exception's message an event keeps (the run's banner, a Done card); the
# traceback printed on stderr shows it whole, up to runner.TRACEBACK_CHARS. A program raising
# with a 40 MB message held the page for 13-18 s drawing it, on every reload (a reviewer's find).
MESSAGE_CHARS = 2_000
# The line numbers' array holds C unsigned ints ("I"), 4 bytes each: for every line number (0
# up: a LINE event's is never negative, Python/instrumentation.c asserts it) its bytes are the
# int32 the host reads, as with "i". Every line of a run passes through it once (lines.py:
# ``fromlist``), and array converts an "i" item with ``PyArg_Parse``, an "I" item with
# ``PyLong_AsUnsignedLong``: a fromlist of 1,024 line numbers took 50-120 µs with "i" against
# 9-12 µs with "I" (Pyodide in Node, best of 5 × 300, on a busy shared 2-core machine), and a
# traced run of bench/programs/cpu_heavy.py (240,183 lines) ~10% less CPU time (medians of 41,
# the two builds alternating in one process).
LINE_TYPECODE = "I"
# Most lines between two looks at the limits (periodic()). A look costs a few microseconds;
# 1024 quick lines take about 0.6 ms traced in Pyodide (cpu_heavy.py: 240,183 lines in
# ~140 ms), so the limits are still looked at every millisecond or so, and a run of
# cpu_heavy.py makes ~250 looks instead of ~965 (measured: about 3 ms less per run).
# How often the trace is streamed changes, never what it holds.
LINE_BATCH = 1024
# Seconds of real time between the empty chunks a teardown that prints past TEARDOWN_CHARS sends
# (Recorder.write): well inside the host's allowance for a run that sends nothing (8 s:
# supervisor.ts), and a few messages a second at most.
TEARDOWN_HEARTBEAT = 0.5
# For this long only, in seconds of real time from the teardown's first print past its cap:
# the teardown has no step budget, and a __del__ printing in an endless loop (python3 hangs there
# too) kept the host waiting to its whole allowance (123 s here; up to 240 s in the app) where
# one not printing ends at the host's 8 s of silence (a reviewer's). python3 prints 130,000
# lines at exit in well under a second; Loop Lab, here, in 4–5 s.
TEARDOWN_HEARTBEAT_SECONDS = 15.0
# Output events the run's teardown may add past its most events (wire.ts allows EVENTS_SLACK,
# 64, past it for the run's last events): what its objects print as they go.
TEARDOWN_EVENTS = 32
# How far below the host's MESSAGE_EVENTS a streamed run's chunk is sent (Recorder.flush_events).
# Every place that adds to a chunk first makes room (Recorder.make_room: a full chunk is sent),
# and then adds at most a line marker and one event before anything else can look: `write`'s
# marker comes before `inside.while_running` (which runs none of the program's code; were it to,
# a print made meanwhile would make room for itself). The one unguarded item
# after those two is the marker `flush` may add. So a chunk holds at most flush_events + 2 =
# MESSAGE_EVENTS - 2 items; the host refuses one past MESSAGE_EVENTS (wire.ts).
CHUNK_SLACK = 4
# A streamed chunk is also sent once the lists its events carry (Recorder.listed_weight) reach
# this many values: the host weighs each chunk and takes at most MAX_CHUNK_WEIGHT (400,000,
# wire.ts). 4,092 events of a few fixed fields weigh ~30,000 (measured: server_200_clients.py),
# but a wait lists every task it waits on: 2,100 tasks each waiting on one gather() of 300
# weighed ~550,000 at once, and a run python3 finishes in 0.2 s was cut as a trace grown too
# long (a reviewer's program).
FLUSH_WEIGHT = 200_000
# What one entry of such a list weighs at most, as wire-weight.ts counts (`[`, `{` and `,`): a
# frame (name, line, user and up to 16 locals: inside.py MAX_LOCALS) and an asyncio object (a
# dozen fields and up to 12 items: inside.py MAX_ITEMS), rounded up.
_FRAME_WEIGHT = 40
_OBJECT_WEIGHT = 40
# Output flushes (see Recorder.periodic): at most OUTPUT_BURST at once, then one per OUTPUT_GAP
# seconds of real time (500 a second: what the host's message cap, MAX_RUN_MESSAGES, allows for).
OUTPUT_BURST = 8
OUTPUT_GAP = 0.002
# Flushes at the first line of a loop step (see Recorder.flush_at_step_line): at most STEP_BURST
# at once, then one per STEP_GAP seconds of real time. cpu_heavy.py's 640 steps in ~0.2 s then
# make ~8 flushes, not 640 (at one per 10 ms, ~25 flushes cost it 8–12 ms more, measured here).
STEP_BURST = 4
STEP_GAP = 0.05
from .wire import E_CB, E_OUT, E_SUSPEND, E_TASK, encode
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_getframe = sys._getframe
_weakref = weakref.ref

# The loop's step, whose frames are below every task step and callback the loop runs: asyncio's
# (Lib/asyncio/base_events.py), and the virtual loop's around it (loop.py adds its own: a step's
# last events, a task's suspend among them, are recorded there once asyncio's has returned).
_LOOP_STEPS = {address_key(_BaseEventLoop._run_once.__code__)}


def count_as_loop_step(code):
    """``code`` is a loop's step too (where() reads past it to the line the program last ran)."""
    _LOOP_STEPS.add(address_key(code))

# An object's address as CPython's reprs show it ("%p" in Objects/object.c's object_repr,
# Objects/funcobject.c, Objects/genobject.c…): `` at 0x`` and lower-case hex with no leading zero.
# Pyodide's memory is 32-bit, so an address has at most 8 digits, and every object lies above
# 0x300000 (measured: the lowest of every gc-tracked object, every type and every builtin was
# 0x300f9c), so at least 6. The program's own text rarely has that shape (``jump at 0x00ff``,
# ``at 0xbeef`` do not), and a stand-in (12 digits) never does.
_ADDRESS = re.compile(r"\bat 0x[1-9a-f][0-9a-f]{5,7}(?![0-9A-Za-z_])")
_real_perf_counter = time.perf_counter


class Allowance:
    """A ration: at most ``burst`` at once, then one more every ``gap`` seconds of real time."""

    __slots__ = ("burst", "gap", "left", "at")

    def __init__(self, burst, gap, now):
        self.burst = burst
        self.gap = gap
        self.left = burst
        self.at = now

    def take(self, now):
        """Takes one if there is one (True), after adding what the time since the last look earned."""
        self.left = min(self.burst, self.left + (now - self.at) / self.gap)
        self.at = now
        if self.left >= 1:
            self.left -= 1
            return True
        return False


class Recorder(LoopObserver):
    """One run's trace, its limits, and the identities of the tasks and handles it has seen.

    What the loop does is observed by the methods of ``LoopObserver`` (observe.py)."""

    def __init__(self, options, channel=None):
        self.ev = []                # wire events not yet handed to the host
        self.event_count = 0        # events (not lines) recorded in all
        self.lines = array.array(LINE_TYPECODE)  # the line number of each LINE event, in order
        self.lines_marked = 0  # how many of them a marker in self.ev already covers
        self.lines_flushed = 0
        # The code objects compiled from the learner's source (lines.user_code_objects), and the
        # same by identity (address_key), which is what "the learner's code?" asks: ``code in
        # user_codes`` hashes the code object, and CPython hashes a code object's name, its
        # constants and each of its instructions afresh at every call (Objects/codeobject.c,
        # code_hash): 0.6-1.0 µs a look in Pyodide here, against 0.3 µs for the key, and a
        # task switch looks several times. Identity is also the question meant: an equal code
        # object the program compiled itself is not the learner's source (observe.real_code).
        self.user_codes = frozenset()
        self.user_keys = frozenset()
        self.max_steps = int(options.get("maxSteps", DEFAULT_MAX_STEPS))
        self.max_events = int(options.get("maxEvents", DEFAULT_MAX_EVENTS))
        self.max_output = int(options.get("maxOutputChars", DEFAULT_MAX_OUTPUT))
        self.wall_limit = float(options.get("wallSeconds", DEFAULT_WALL_SECONDS))
        self.flush_every = float(options.get("flushSeconds", 0.15))
        # The host takes at most `messageLines` line numbers in one chunk (runtime-protocol.ts,
        # MESSAGE_LINES: it decodes a chunk in one task, which must stay short), and at most one
        # batch (LINE_BATCH: lines.py never holds more between two looks at the limits) more is
        # recorded before the next look: so a chunk is sent once more than this many are held.
        # A streamed run must be told it; a run kept whole (no channel) has no chunks to cap.
        message_lines = options.get("messageLines")
        if message_lines is None:
            if options.get("stream"):
                raise ValueError("a streamed run needs messageLines: the most lines the host takes in one chunk")
            self.flush_lines = math.inf
        elif int(message_lines) <= LINE_BATCH:
            raise ValueError(f"messageLines must be more than one batch ({LINE_BATCH} lines)")
        else:
            self.flush_lines = int(message_lines) - LINE_BATCH
        # Likewise the host takes at most `messageEvents` events and markers in one chunk
        # (MESSAGE_EVENTS: it checks each one in that task). A chunk is sent once it holds
        # `messageEvents - CHUNK_SLACK`, whatever the time since the last: a program making
        # events fast (endless virtual time: a handful per turn of its loop) sent tens of
        # thousands in 0.15 s, one chunk that held the page for ~100 ms (bench: longest frame
        # while a bad program runs). 4,096 decode in a few ms.
        message_events = options.get("messageEvents")
        if message_events is None:
            if options.get("stream"):
                raise ValueError("a streamed run needs messageEvents: the most events the host takes in one chunk")
            self.flush_events = math.inf
        elif int(message_events) <= 2 * CHUNK_SLACK:
            raise ValueError(f"messageEvents must be more than {2 * CHUNK_SLACK}")
        else:
            self.flush_events = int(message_events) - CHUNK_SLACK
        self.flush_weight = math.inf if message_events is None else FLUSH_WEIGHT
        self.chunk_weight = 0  # see listed_weight: of the events not yet sent
        self.heap_limit = int(options.get("heapLimitBytes", 0))
        self.verify = bool(options.get("verify", False))
        self.channel = channel      # where chunks go as they are recorded (wire.Channel), if anywhere
        self.foreign_steps = 0      # lines of code the program compiled itself (counted, not shown)
        # The run's last text (a traceback, an exit message: runner._print_past_cap) is being
        # written: like its last event (`final`), it is never cut by the events limit (the host
        # allows a few events past it, EVENTS_SLACK in wire.ts).
        self.last_words = False
        self.started = _real_perf_counter()
        self.last_flush = -math.inf
        self.last_periodic = self.started
        self.last_memory_check = -math.inf
        # Lines between two looks at the limits: many while lines are quick, one at a time
        # while each takes long (so the host hears from a slow but busy program often).
        self.batch = LINE_BATCH
        self.output_pending = False
        # Flushes the output (see periodic) and a step's first line (flush_at_step_line) may
        # still make; `flush_line` asks the line hook for one.
        self.output_flushes = Allowance(OUTPUT_BURST, OUTPUT_GAP, self.started)
        # The stream of the output event the last chunk sent ended with, or None (see write).
        self.open_output = None
        self.step_flushes = Allowance(STEP_BURST, STEP_GAP, self.started)
        self.flush_line = False
        # Set by the line hooks: move buffered line numbers into self.lines, and have the
        # next line look in (call periodic()) whatever the count.
        self.spill_lines = lambda: None
        self.request_check = lambda: None
        self.output_chars = 0
        self.tearing_down = False   # the program has ended and its objects are being dropped
        self.teardown_started = None  # real time of the teardown's first print past its cap
        self.stopped = None         # the StopProgram, once a limit is reached
        self.streams = ()           # the run's sys.stdout and sys.stderr (streams.py), once made
        self.clock = 0.0
        self.tids = {}              # address_key(task) -> (tid, weakref)
        self.hids = {}              # address_key(handle) -> (hid, weakref)
        self.sleep_timers = {}      # address_key(future) -> (hid, when, weakref to the future)
        self.timeout_timers = {}    # tid -> (hid, when, weakref to the timer handle)
        self.done_tids = set()
        self.loop_count = 0
        self.running = None         # ("t", tid, task) | ("c", hid, None) | None
        self.name_counter = itertools.count(1)
        self.tid_counter = itertools.count(0)
        self.task_hashes = itertools.count(1)
        self.hid_counter = itertools.count(0)
        self.addresses = {}
        self.inside = Inside(self)  # await chains, locals, asyncio objects (inside.py)

    # -- plumbing -----------------------------------------------------------------------
    def emit(self, event):
        if self.stopped is not None:
            # Once a limit is reached the program only unwinds (the loop stops and closes as
            # StopProgram passes through asyncio): none of that is the program's doing, and
            # the trace must end as the program stood, with the limit record right after.
            return
        if self.tearing_down and self.event_count >= self.max_events + TEARDOWN_EVENTS:
            # The run has ended: past the most events (and a few more, for what its objects
            # print as they go), nothing more is kept: a limit now would come after the run's
            # last event, which the host refuses, and the host takes only EVENTS_SLACK past it.
            return
        # make_room, listed_weight and mark_lines, written out: three calls fewer for each of the
        # three or four events of every task switch. An event weighs nothing unless it is a
        # suspend or ends with a dict (listed_weight).
        weight = self.listed_weight(event) if event[0] == E_SUSPEND or type(event[-1]) is dict else 0
        ev = self.ev
        if len(ev) >= self.flush_events or (self.chunk_weight and self.chunk_weight + weight > self.flush_weight):
            self.flush()
            ev = self.ev
        self.chunk_weight += weight
        self.spill_lines()
        count = len(self.lines)
        if count != self.lines_marked:
            ev.append(count)
            self.lines_marked = count
        ev.append(event)
        self.event_count += 1
        if len(ev) >= self.flush_events or self.chunk_weight >= self.flush_weight:
            # Sent now, not at the learner's next line: a loop running callbacks of no line of
            # theirs (30,000 `call_soon(print, i)`) makes events with no line between, and held
            # for one chunk they weighed past what the host takes at once (MAX_CHUNK_WEIGHT), so
            # a program CPython runs to its end was cut as a trace grown too long.
            self.flush()
        if (self.event_count > self.max_events and self.stopped is None and not self.last_words
                and not self.tearing_down):
            self.stop("events", f"The trace grew past {self.max_events:,} loop events (task "
                                f"steps, timers, queue moves), the most Loop Lab keeps for one "
                                f"run{self.where()}. It may never end. The steps so far are kept.")

    @staticmethod
    def listed_weight(event):
        """What the lists an event carries weigh (see FLUSH_WEIGHT), an upper bound: a wait's
        task ids (gather, wait, as_completed, a TaskGroup), and in its extra fields its await
        chain's frames and the asyncio objects that changed. 0 for an event with none."""
        weight = 0
        if event[0] == E_SUSPEND:
            wait = event[2]
            if type(wait) is dict:
                weight += len(wait.get("tasks", ()))
        extra = event[-1]
        if type(extra) is dict:
            weight += _FRAME_WEIGHT * len(extra.get("frames", ())) + _OBJECT_WEIGHT * len(extra.get("objects", ()))
        return weight

    def make_room(self, weight=0):
        """Send the chunk if it is full (see CHUNK_SLACK), or if an event whose lists weigh
        ``weight`` (listed_weight) would take it past FLUSH_WEIGHT: called before anything is
        added."""
        if len(self.ev) >= self.flush_events or (self.chunk_weight and self.chunk_weight + weight > self.flush_weight):
            self.flush()

    def mark_lines(self):
        """Put the LINE events recorded since the last event in their place among the events."""
        self.spill_lines()
        count = len(self.lines)
        if count != self.lines_marked:
            self.ev.append(count)
            self.lines_marked = count

    def final(self, event):
        """The run's last event (its limit or its uncaught exception): always recorded."""
        self.make_room()
        self.mark_lines()
        self.ev.append(event)

    def stop(self, reason, message):
        self.halt(StopProgram(reason, message))

    def halt(self, stop):
        """End the run with ``stop`` (a StopProgram), unless it has ended already; either way
        raise the one that ended it. The learner's next line raises it again, unrecorded."""
        if self.stopped is None:
            self.stopped = stop
            self.request_check()
        raise self.stopped

    def periodic(self, steps):
        """Called every few hundred lines (and at the line after any output): enforce the
        limits, and stream the trace to the host."""
        if self.stopped is not None:
            # A `finally:` of the learner's, run as StopProgram unwinds: stop it at once.
            raise self.stopped
        if steps + self.foreign_steps > self.max_steps:
            self.stop_at_budget()
        now = _real_perf_counter()
        self.batch = 1 if now - self.last_periodic > 0.02 else min(LINE_BATCH, self.batch * 2)
        self.last_periodic = now
        if now - self.started > self.wall_limit:
            # To a tenth of a second, as the host says its own limits (supervisor.ts): the
            # allowance is scaled to the machine's speed (7.80921 s said too much precision).
            self.stop("time", f"The program ran for {round(self.wall_limit, 1):g} seconds of real time "
                              f"without finishing{self.where()}. The steps so far are kept.")
        # Memory is read from the host (a device read): at most every 50 ms of real time.
        if self.heap_limit and self.channel is not None and now - self.last_memory_check > 0.05:
            self.last_memory_check = now
            if self.channel.memory_bytes() > self.heap_limit:
                self.stop("memory", "The program kept asking for memory, past the "
                                    f"{self.heap_limit // (1024 * 1024)} MB Loop Lab allows"
                                    f"{self.where()}. The steps so far are kept.")
        # Output reaches the host promptly, so that what a program printed survives even if it
        # then hangs inside one C call and its worker has to be stopped (or the learner stops
        # it): at the line after the output. A program printing in a loop would make that a
        # message per print, so such flushes are rationed: a few at once, then one per
        # OUTPUT_GAP. (Rationed by time since the last flush alone, a print just after the run's
        # first chunk was held back, and lost when the program then hung: an e2e test's Stop.)
        pending_output = self.output_pending and self.output_flushes.take(now)
        if (pending_output or len(self.ev) >= self.flush_events or now - self.last_flush > self.flush_every
                or len(self.lines) - self.lines_flushed > self.flush_lines):
            self.flush()

    def flush_at_step_line(self):
        """A loop step begins (a task resumes, a callback runs): the trace goes to the host as soon
        as the step's first line is recorded, so that a step which then hangs inside one long C
        call (``sum(range(10**12))``, a regex, a busy loop in C), and has to be stopped by the
        host, still shows where it hung and the loop's moves that led there. (Before, it showed
        the line of the last flush, up to 0.15 s earlier: a learner's Stop after
        ``await asyncio.sleep(1)`` said line 4 and 0 s for a program hung at line 6 at 1 s.)
        Rationed as output flushes are: a few at once, then one per STEP_GAP."""
        if self.channel is None:
            return
        if self.step_flushes.take(_real_perf_counter()):
            self.flush_line = True
            self.request_check()

    def stop_at_budget(self):
        foreign = (f" (with {self.foreign_steps:,} lines of code it compiled and ran itself)"
                   if self.foreign_steps else "")
        self.stop("steps", f"The program ran {self.max_steps:,} lines{foreign}, its step budget, "
                           f"and had not finished{self.where()}. It may never end. The steps "
                           "so far are kept.")

    def where(self):
        """`` (it was at line N)`` of the learner's code the program is at, or nothing: never a
        line 0 (a frame between lines has none; the host refuses a limit that names it).

        Where no code of the learner's runs in the loop's step under way (the limit is reached as
        a timer fires, a sleep's future is set or a task is queued: the innermost learner's frame
        is below the loop's ``_run_once``), that frame is the one waiting in
        ``asyncio.run(...)``, and naming it told a learner the
        program was stuck on that line (a newcomer's finding: ``while True: await
        asyncio.sleep(0.001)`` ended by the events limit said "it was at line 7", the
        ``asyncio.run`` line). The line the program last ran is where it was."""
        line, in_a_step = self.user_line_from(_getframe(1))
        if in_a_step:
            self.spill_lines()
            line = self.lines[-1] if self.lines else None
        return f" (it was at line {line})" if line is not None and line > 0 else ""

    def flush(self):
        self.output_pending = False
        self.last_flush = _real_perf_counter()
        if self.channel is None:
            return
        self.mark_lines()
        # With nothing new (code it compiled itself runs unrecorded), an empty chunk still
        # tells the host the program is making progress.
        events, lines = self.take_chunk()
        if events:
            # Output that ends the chunk stays open: the next write on its stream continues it.
            tail = events[-1]
            self.open_output = tail[1] if type(tail) is list and tail[0] == E_OUT else None
        if not self.channel.send(encode(events), lines.tobytes()) and self.stopped is None:
            self.stop("crashed", "The program closed the channel its steps are sent through, "
                                 "so the run cannot go on. The steps so far are kept.")

    def say_begun(self):
        """Tells the host the program begins (runner.run, just before its first line): an empty
        chunk, which changes nothing of what is recorded or when the rest is sent."""
        if self.channel is not None:
            self.channel.send("[]", b"")

    def take_chunk(self):
        """The events and line numbers not yet handed to the host; they are handed now."""
        events = self.ev
        self.ev = []
        self.chunk_weight = 0
        lines = self.lines[self.lines_flushed:self.lines_marked]
        self.lines_flushed = self.lines_marked
        return events, lines

    def stable(self, text):
        """Object addresses differ from run to run: give each one a stable stand-in, the same
        for the same address all run long (see _ADDRESS for what is taken for one). Wherever it
        stands: a repr cut over two lines (textwrap) and a ``__repr__`` of the program's that
        shows ``hex(id(self))`` are swapped too."""
        if "at 0x" not in text:
            return text

        def swap(match):
            fake = self.addresses.get(match.group(0))
            if fake is None:
                fake = "at 0x7f4c%08x" % (0x1000 + 0x60 * len(self.addresses))
                self.addresses[match.group(0)] = fake
            return fake

        return _ADDRESS.sub(swap, text)

    def clipped_message(self, text):
        """An exception's message as the trace keeps it (the run's banner, a Done card): at most
        MESSAGE_CHARS characters and a note of how many more; the printed traceback has more."""
        text = self.printable(text)  # as the traceback shows it
        if len(text) <= MESSAGE_CHARS:
            return text
        return f"{text[:MESSAGE_CHARS]}… ({len(text) - MESSAGE_CHARS:,} more characters)"

    def printable(self, text):
        """``text`` as the run prints it: object addresses swapped for stable stand-ins (stable()),
        and a lone surrogate, which a str may hold and UTF-8 cannot, written as python3's stderr
        writes it, ``\\ud83d`` (errors="backslashreplace"; a write to stdout raised already:
        streams.py). Its length is what the host counts: a high and a low surrogate kept apart
        here are two characters to Python, but JSON joins them into one on the host's side, and
        a run that printed 1,999,998 characters and then two such pairs ended with an output
        limit the host found it had not reached (damaged). Made a plain str first: a str
        subclass's own methods are the program's (an ``isascii`` that says True let lone
        surrogates through; one that raised crashed the worker). Not to be applied twice: a
        stand-in is an address too (write(..., as_printed=True) takes text made so already)."""
        text = self.stable(str.__str__(text))
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        return text

    def write(self, stream, text, as_printed=False):
        """Output of the run's, ``text`` as the program wrote it, or, ``as_printed``, as
        printable() made it already (a traceback, cut once escaped)."""
        if not text or self.stopped is not None:  # see emit()
            return
        if not as_printed:
            text = self.printable(text)
        room = self.max_output - self.output_chars
        over = len(text) > room
        if over:
            text = text[:max(room, 0)]  # what fits is kept; the rest is never held
        self.output_chars += len(text)
        self.make_room()
        self.mark_lines()
        last = self.ev[-1] if self.ev else None
        if not text:
            pass
        elif type(last) is list and last[0] == E_OUT and last[1] == stream:
            last[2] += text
        elif last is None and self.open_output == stream:
            # The last chunk sent ended with output on this stream, and nothing came since: the
            # same write goes on, as if no chunk had been sent (chunks are sent by real time:
            # where one ended changed the trace, a fresh run's from a second's). The host
            # appends it to that event (wire.ts, continueOutput); no fields of its own, as a
            # write merged above has none, and not counted as an event.
            self.ev.append([E_OUT, stream, text])
        else:
            extra = self.running_extra()
            self.emit([E_OUT, stream, text, extra] if extra else [E_OUT, stream, text])
        if over and self.stopped is None and not self.tearing_down:
            self.stop("output", f"The program printed more than {self.max_output:,} "
                                f"characters{self.where()}. What it printed up to that limit "
                                "is kept.")
        self.output_pending = True
        if self.tearing_down:
            # No line of the program's looks in any more: sent now, or a __del__ that prints and
            # then never returns (python3 shows the print, then hangs) kept it from the host.
            # Only what was kept: past TEARDOWN_CHARS nothing is, and 130,000 __del__s printing
            # each sent an empty chunk, past the most messages the host takes for a run. But an
            # empty one every TEARDOWN_HEARTBEAT seconds: the host hears that the program is
            # still at work (with none, 130,000 __del__s printing past the cap took more than
            # its 8 s allowance for silence on a busy machine, and ended as stuck).
            if text:
                self.flush()
            else:
                now = _real_perf_counter()
                if self.teardown_started is None:
                    self.teardown_started = now
                if (now - self.last_flush > TEARDOWN_HEARTBEAT
                        and now - self.teardown_started < TEARDOWN_HEARTBEAT_SECONDS):
                    self.flush()
            return
        self.request_check()  # look in at the next line: periodic() streams it out

    def running_extra(self):
        """The optional fields of an event made while the program runs (inside.while_running):
        the running task's await chain as it runs, when it changed since its last record, and
        the asyncio objects whose state changed; None when there are none. Runs none of the
        program's code (inside.py shows values without it)."""
        running = self.running
        task = running[2] if running is not None and running[0] == "t" else None
        return self.inside.while_running(task, running[1] if task is not None else None)

    def current_user_line(self):
        return self.user_line_from(_getframe(1))[0]

    def user_line_from(self, frame):
        """The line of the innermost frame of the learner's code from ``frame`` out (None if
        none), and whether a loop's step (_LOOP_STEPS) lies between: then the learner's code is
        not what runs in that step."""
        in_a_step = False
        while frame is not None:
            key = address_key(frame.f_code)
            if key in self.user_keys:
                return frame.f_lineno, in_a_step
            if key in _LOOP_STEPS:
                in_a_step = True
            frame = frame.f_back
        return None, in_a_step

    def use_codes(self, codes):
        """The learner's code objects (a frozenset): ``user_codes``, and ``user_keys`` for looks."""
        self.user_codes = codes
        self.user_keys = frozenset(map(address_key, codes))

    # -- identities ---------------------------------------------------------------------
    def known_tid(self, task):
        entry = self.tids.get(address_key(task))
        return entry[0] if entry is not None and entry[1]() is task else None

    def tid_of(self, task):
        tid = self.known_tid(task)
        return tid if tid is not None else self.register_task(task)

    def register_task(self, task, coro=None, loop=None, name=None):
        """Number a task and record its `task` event. ``coro``, ``loop`` and ``name`` are given
        for a task not yet initialised (an eager one, registered before its first step)."""
        tid = next(self.tid_counter)
        self.tids[address_key(task)] = (tid, _weakref(task))
        creator = self.running[1] if self.running and self.running[0] == "t" else None
        # From the loop's own dict: a task may be given a loop object of the program's, whose
        # __getattr__ python3 would not run here.
        loop_id = own_attribute(loop if loop is not None else task_loop(task), "_ll_id")
        if type(loop_id) is not int:
            loop_id = -1
        coro = coro if coro is not None else task_coroutine(task)
        code, _frame = code_and_frame(coro)
        # asyncio's own tasks run no code of the learner's: asyncio.run's clean-up
        # (shutdown_asyncgens …), created by no task, and the ones its servers make for
        # themselves (a name lookup, taking each new connection). The player tucks them away
        # with Loop internals.
        internal = code is not None and address_key(code) not in self.user_keys and (
            code.co_filename.endswith(("asyncio/base_events.py", "asyncio/selector_events.py"))
            or (creator is None and code.co_filename.endswith("asyncio/runners.py")))
        self.emit([E_TASK, tid, plain_text(name) if name is not None else task_name(task),
                   self.coro_label(coro), creator, loop_id, 1 if internal else 0])
        return tid

    def coro_label(self, coro):
        """``print_nums(5)``: the coroutine's name and the arguments it was called with."""
        name = coroutine_name(coro)
        code, frame = code_and_frame(coro)
        if code is None or frame is None:
            return name + "()"
        try:
            local = frame.f_locals
            shown = [brief(local[n], 24)
                     for n in code.co_varnames[: code.co_argcount] if n in local]
            label = f"{name}({', '.join(shown)})"
        except Exception:
            label = name + "(…)"
        return label if len(label) <= 60 else label[:59] + "…"

    def hid_of(self, handle):
        entry = self.hids.get(address_key(handle))
        if entry is not None and entry[1]() is handle:
            return entry[0]
        hid = next(self.hid_counter)
        self.hids[address_key(handle)] = (hid, _weakref(handle))
        func = handle._callback
        # By exact types (callables.py): the program's callable objects run none of their code here.
        label = callable_label(func)
        code = real_code(callable_code(func))
        user = code is not None and address_key(code) in self.user_keys
        self.emit([E_CB, hid, label, 1 if user else 0, code.co_firstlineno if user else None])
        return hid

    def step_item(self, handle):
        """What a handle in the ready queue is to a learner: a task's next step, or a callback.

        Returns (item, task or None, whether the task was first seen just now, ``"step"`` or
        ``"wakeup"`` for a task's handle (observe.step_kind) and None for a callback).
        """
        owner, kind = step_of(handle._callback)
        if owner is not None:
            tid = self.known_tid(owner)
            if tid is None:
                return ["t", self.register_task(owner)], owner, True, kind
            return ["t", tid], owner, False, kind
        return ["c", self.hid_of(handle)], None, False, None

    def real_queue(self, queue):
        return [self.step_item(h)[0] for h in queue]

    # -- the loop's moments -------------------------------------------------------------
