# Attack: switch off the audit hook that refuses hand-made code objects (attack 39). A refused event's traceback ends in the hook's own frame; a reviewer took the hook function from that frame (gc.get_referents), then swapped its __code__ for a body that refuses nothing, or set __cantrace__ and jumped past its raise with a trace function.
# The hook must stay out of reach: from its frame, from its code object, and from gc's lists.
import gc
import types


def victim():
    return 1


def hook_traceback():
    try:
        victim.__code__.replace(co_name="x")
    except RuntimeError as error:
        tb = error.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        return tb
    return None


last = hook_traceback()
frame = last.tb_frame if last is not None else None
print("the refusal's last frame:", frame.f_code.co_name if frame is not None else None)


def found(name, functions):
    hooks = [f for f in functions if isinstance(f, types.FunctionType) and frame is not None and f.__code__ is frame.f_code]
    if hooks:
        hook = hooks[0]
        hook.__code__ = (lambda event, args: None).__code__ if not hook.__code__.co_freevars else hook.__code__
        print(f"ESCAPED: {name} gave the hook function")
    else:
        print(f"blocked: {name}: no hook among {len(functions)} objects")


def attempt(name, functions):
    try:
        found(name, functions())
    except Exception as error:  # noqa: BLE001 -- any refusal is a pass
        print(f"blocked: {name}: {type(error).__name__}: {error}")


# Its frame's locals write through to closure cells (PEP 667): whatever the hook keeps there
# would change for every later call. Nothing it uses may be changed that way.
if frame is not None:
    for name in list(frame.f_locals):
        try:
            frame.f_locals[name] = (lambda *a, **k: None) if name != "frame_type" else object
        except Exception:  # noqa: BLE001 -- a local that cannot be written is fine
            pass
attempt("gc.get_referents of its frame", lambda: gc.get_referents(frame))
attempt("gc.get_referents of its traceback entry, then of the frame in it", lambda: [x for r in gc.get_referents(last) for x in gc.get_referents(r)])
attempt("gc.get_referrers of its code", lambda: gc.get_referrers(frame.f_code))
attempt("gc.get_objects", lambda: gc.get_objects())
attempt("its frame's locals", lambda: list(frame.f_locals.values()))

try:
    victim.__code__.replace(co_consts=(1234,))
    print("ESCAPED: code.replace works again")
except RuntimeError:
    print("blocked: code.replace is still refused")
