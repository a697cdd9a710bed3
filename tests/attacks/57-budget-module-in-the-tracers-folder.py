# Attack: pass for the tracer's own code, with a module written into its folder and imported
# Code of the tracer's is hidden from tracebacks and runs outside the step budget: a module
# written beside it (the folder is writable) must get neither.
import importlib
import os
import sys
import traceback

folder = next(os.path.dirname(m.__file__) for name, m in list(sys.modules.items())
              if name.endswith(".runner") and getattr(m, "__file__", None))
with open(os.path.join(folder, "attack_spin.py"), "w") as f:
    f.write("def fail():\n    raise ValueError('seen')\n\ndef spin():\n    n = 0\n    while True:\n        n += 1\n")
importlib.invalidate_caches()
package = os.path.basename(folder)
spin = importlib.import_module(f"{package}.attack_spin")

try:
    spin.fail()
except ValueError:
    shown = "attack_spin.py" in traceback.format_exc()
    print("blocked: its frame is shown in the traceback" if shown else "ESCAPED: its frame was hidden")

print("before")
spin.spin()
print("ESCAPED: a module in the tracer's folder ran forever without meeting the budget")
