# Attack: reach the real sys.monitoring through a function of the program's own, and switch off
# the tool that counts the code it compiles itself
# A builtin function's __self__ is its module: sys.monitoring.get_tool.__self__ was the real
# sys.monitoring, whose set_events(3, 0) let exec'd code run unseen until the host's 8 s limit.
# The run must end at its step budget.
import sys

leaked = []
for name in dir(sys.monitoring):
    owner = getattr(getattr(sys.monitoring, name), "__self__", None)
    if owner is not None and owner is not sys.monitoring:
        leaked.append(name)
        owner.set_events(3, 0)
print(f"ESCAPED: the real sys.monitoring through {leaked}" if leaked else "blocked: no function of sys.monitoring leads to another module")


def with_one_free_variable():
    name = None

    def leak(*args, **kwargs):
        name  # noqa: B018 -- as many free variables as the function it replaces the code of
        return MONITORING  # noqa: F821 -- looked up in the globals of the function it lands in
    return leak


for name in ("get_tool", "set_events"):
    try:
        getattr(sys.monitoring, name).__code__ = with_one_free_variable().__code__
        real = getattr(sys.monitoring, name)()
    except (AttributeError, RuntimeError, ValueError, NameError) as exc:
        print(f"blocked: sys.monitoring.{name}'s code stays ({type(exc).__name__})")
    else:
        real.set_events(3, 0)
        print(f"ESCAPED: the real sys.monitoring through {name}'s code")
print("before")
exec(compile("n = 0\nwhile True:\n    n += 1\n", "<made here>", "exec"))
print("ESCAPED: code the program compiled itself ran forever without meeting the budget")
