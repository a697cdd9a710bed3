# Attack: hide a function from tracebacks and from the program's own trace function by
# compiling it under the tracer's file name (the tracer's frames are hidden from both).
import sys
import traceback

folder = next(m.__file__.rsplit("/", 1)[0] for name, m in list(sys.modules.items())
              if name.endswith(".runner") and getattr(m, "__file__", None))
namespace = {}
exec(compile("def hidden():\n    raise ValueError('seen')\n", folder + "/runner.py", "exec"), namespace)
try:
    namespace["hidden"]()
except ValueError:
    frames = [f.name for f in traceback.extract_tb(sys.exc_info()[2])]
    print("blocked: its frame is shown in the traceback" if "hidden" in frames else f"ESCAPED: hidden from the traceback {frames}")

seen = []


def tracer(frame, event, arg):
    seen.append(frame.f_code.co_name)
    return None


sys.settrace(tracer)
try:
    namespace["hidden"]()
except ValueError:
    pass
sys.settrace(None)
print("blocked: the program's trace function sees it" if "hidden" in seen else "ESCAPED: hidden from sys.settrace")
