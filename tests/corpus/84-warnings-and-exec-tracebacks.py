# Oracle: plain Pyodide (CPython 3.14): tracebacks with 3.14's carets.
# Compare: all of stderr
# Source lines in what a running program prints to stderr: warnings.warn (stacklevel 1 and
# 2), a traceback through exec'd code and through compile()'s own SyntaxError, then an
# uncaught error in a task.
import asyncio
import traceback
import warnings

warnings.simplefilter("always")


def old_api():
    warnings.warn("old_api() is deprecated", DeprecationWarning, stacklevel=2)


async def worker(source):
    try:
        exec(source, {})
    except ZeroDivisionError:
        traceback.print_exc()
    try:
        compile("def f():\n    await g()\n", "generated.py", "exec")
    except SyntaxError:
        traceback.print_exc()
    warnings.warn("worker is done")


async def main():
    old_api()
    await asyncio.create_task(worker("def ratio(a, b):\n    return a / b\nratio(1, 0)\n"))
    numbers = {"a": 1}
    return numbers["b"]

asyncio.run(main())
