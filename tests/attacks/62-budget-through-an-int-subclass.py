# Attack: switch off the tool that counts the code a program compiles itself, through the
# program's own sys.monitoring, naming the tool by an int subclass
# The guard refused only an exact int: register_callback(I(3), LINE, None) with class I(int)
# reached Loop Lab's tool, and exec'd code then ran 30,000,000 lines past a 1,000,000-line budget
# (a reviewer's). The run must end at its step budget.
import sys


class I(int):
    pass


events = sys.monitoring.events
escaped = []
for tool in (3, 4):
    for event in (events.PY_START, events.LINE, events.JUMP):
        try:
            sys.monitoring.register_callback(I(tool), event, None)
            escaped.append((tool, event))
        except ValueError:
            pass
    try:
        sys.monitoring.set_events(I(tool), 0)
        escaped.append((tool, "set_events"))
    except ValueError:
        pass
print(f"ESCAPED: Loop Lab's tools through an int subclass {escaped}" if escaped else "blocked: an int subclass names Loop Lab's tools too")
print("before")
exec("n = 0\nwhile True:\n    n += 1\n")
