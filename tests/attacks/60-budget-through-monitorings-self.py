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
print("before")
exec(compile("n = 0\nwhile True:\n    n += 1\n", "<made here>", "exec"))
print("ESCAPED: code the program compiled itself ran forever without meeting the budget")
