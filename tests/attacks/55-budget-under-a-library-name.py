# Attack: escape the step budget with code compiled under the standard library's file name
# The budget once trusted code by its file name, which compile() lets a program choose.
# The run must end at its step budget (a limit), not run on unseen until the wall clock stops it.
import sys

name = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/asyncio/evil.py"
print("before")
exec(compile("n = 0\nwhile True:\n    n += 1\n", name, "exec"))
print("ESCAPED: code named after the standard library ran forever without meeting the budget")
