# Oracle: plain Pyodide
# Compare: all of stderr
# A program that watches itself: sys.monitoring tools, a trace function and a profile function
# of its own, and bdb (pdb's engine) with both its backends. Each sees the program's code and
# the library's, and a trace function that raises for any code but the program's never raises
# at a print (print is C: nothing of it to see), as in python3.
import asyncio
import sys

mon = sys.monitoring

started = []


def on_start(code, offset):
    if code.co_filename == __file__:
        started.append(code.co_name)


async def worker(name, delay):
    await asyncio.sleep(delay)
    return f"{name} done"


async def main():
    results = await asyncio.gather(worker("a", 0.2), worker("b", 0.1))
    print(results)


mon.use_tool_id(mon.PROFILER_ID, "counter")
print("previous callback:", mon.register_callback(mon.PROFILER_ID, mon.events.PY_START, on_start))
mon.set_events(mon.PROFILER_ID, mon.events.PY_START)
asyncio.run(main())
mon.set_events(mon.PROFILER_ID, 0)
print("started in the program:", sorted(set(started)))
print("its callback handed back:", mon.register_callback(mon.PROFILER_ID, mon.events.PY_START, None) is on_start)
mon.free_tool_id(mon.PROFILER_ID)


def double(x):
    return 2 * x


print(double(21))

seen = []


def tracer(frame, event, arg):
    if event == "call":
        seen.append(frame.f_code.co_name)
        if frame.f_code.co_filename != __file__:
            raise RuntimeError(f"traced outside the program: {frame.f_code.co_name}")
    return None


sys.settrace(tracer)
print("traced print")
value = double(5)
sys.settrace(None)
print(value, seen, sys.gettrace())

events = []


def profiler(frame, event, arg):
    if event in ("call", "return"):
        events.append((event, frame.f_code.co_name))
    else:
        events.append((event, arg.__name__))


sys.setprofile(profiler)
print("profiled print")
double(1)
sys.setprofile(None)
print(events)
print(sys.getprofile())

# Library code the program calls itself is seen, whatever Loop Lab's loop used of it before.
import weakref

library = []


def library_start(code, offset):
    if code.co_qualname.startswith("WeakSet"):
        library.append(code.co_qualname)


mon.use_tool_id(mon.COVERAGE_ID, "library")
mon.register_callback(mon.COVERAGE_ID, mon.events.PY_START, library_start)
mon.set_events(mon.COVERAGE_ID, mon.events.PY_START)
weakref.WeakSet()
mon.set_events(mon.COVERAGE_ID, 0)
mon.free_tool_id(mon.COVERAGE_ID)
print(library)

# threading's all-threads form, and sys._getframe replaced while a tool watches asyncio.
import threading

outside = []


def all_threads(frame, event, arg):
    if frame.f_code.co_filename != __file__:
        outside.append(frame.f_code.co_qualname)


threading.settrace_all_threads(all_threads)
print("traced on every thread")
threading.settrace_all_threads(None)
print(outside, sys.settrace.__name__, sys.setprofile.__module__)

real_getframe = sys._getframe


def no_frames(depth=0):
    raise LookupError("no frames today")


async def nap():
    await asyncio.sleep(0.1)
    print("in nap")


sys._getframe = no_frames
mon.use_tool_id(mon.OPTIMIZER_ID, "quiet")
mon.register_callback(mon.OPTIMIZER_ID, mon.events.PY_START, lambda code, offset: None)
mon.set_events(mon.OPTIMIZER_ID, mon.events.PY_START)
asyncio.run(nap())
mon.set_events(mon.OPTIMIZER_ID, 0)
sys.setprofile(None)
sys._getframe = real_getframe
print("setprofile ok")

# One profile function swapped for another: the old sees the call, the new its return.
first, second = [], []
sys.setprofile(lambda frame, event, arg: first.append((event, getattr(arg, "__name__", None))))
double(2)
sys.setprofile(lambda frame, event, arg: second.append((event, getattr(arg, "__name__", None))))
double(3)
sys.setprofile(None)
print(first)
print(second)

# bdb, pdb's engine, with both backends: the monitoring one finds each event's frame with
# sys._getframe().f_back, as a tool's callback does.
import bdb


class Watcher(bdb.Bdb):
    def user_line(self, frame):
        print("line", frame.f_code.co_name, frame.f_lineno)

    def user_return(self, frame, value):
        print("return", frame.f_code.co_name, value)


def add():
    a = 1
    b = 2
    return a + b


for backend in ("settrace", "monitoring"):
    print(backend, Watcher(backend=backend).runcall(add))

mon.use_tool_id(mon.DEBUGGER_ID, "frames")


def on_line(code, line):
    frame = sys._getframe(1)
    print("line event:", code.co_name, line, "in frame", frame.f_code.co_name, frame.f_lineno)


mon.register_callback(mon.DEBUGGER_ID, mon.events.LINE, on_line)
mon.set_local_events(mon.DEBUGGER_ID, add.__code__, mon.events.LINE)
add()
mon.set_local_events(mon.DEBUGGER_ID, add.__code__, 0)
mon.free_tool_id(mon.DEBUGGER_ID)
