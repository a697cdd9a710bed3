# Attack: run past the step budget inside an audit hook of the program's own (sys.addaudithook)
# CPython calls audit hooks with tracing off (PyThreadState_EnterTracing in sys_audit_tstate,
# Python/sysmodule.c): a hook's loop of 30,000,000 lines ran to its end, uncounted (a
# reviewer's). Now Loop Lab's sys.addaudithook calls the hook through sys.call_tracing.
import sys

ran = [0]


def hook(event, args):
    if event == "attack.go":
        i = 0
        while i < 3_000_000:
            i += 1
        ran[0] = i


sys.addaudithook(hook)
print("before")
sys.audit("attack.go")
print(f"ESCAPED: the audit hook ran {ran[0]:,} lines uncounted")
