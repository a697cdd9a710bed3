# Attack 41: the run's summary is made in the interpreter the program shares. A program that
# replaces _looplab.runner._finish hands the worker a summary of its own: one that claims 100
# million line numbers made the worker build them (Int32Array.from: 2 GB, outside Python's memory
# cap) and post them all before the host could refuse one; a real list of them is a long string.
# Expected: the run ends as damaged, at once, having made nothing of the sort.
import sys

import _looplab.runner as runner

claim = '{"events":[],"lines":{"length":100000000},"status":0,"limited":false,"clock":0,"wallMs":0}'
long_list = '{"events":[],"lines":[' + ",".join(["0"] * 200_000) + '],"status":0,"limited":false,"clock":0,"wallMs":0}'
forged = long_list if "--list" in sys.argv else claim
runner._finish = lambda rec, status, s=forged: s
print("patched")
