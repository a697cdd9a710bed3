# Oracle: plain Pyodide (CPython 3.14 in WebAssembly, untraced), which cannot start threads
# either: python3 would run these threads. Every way to start one fails with a RuntimeError the
# program can catch, and asyncio goes on working afterwards (no second failure at the end).
import _thread
import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor


def attempt(what, start):
    try:
        start()
        print(what, "started a thread")
    except RuntimeError as exc:
        print(what, "->", type(exc).__name__)


attempt("Thread.start", threading.Thread(target=print).start)
attempt("Timer.start", threading.Timer(1, print).start)
attempt("_thread.start_new_thread", lambda: _thread.start_new_thread(print, ()))
with ThreadPoolExecutor(max_workers=1) as pool:
    attempt("ThreadPoolExecutor.submit", lambda: pool.submit(print))
    attempt("ThreadPoolExecutor.map", lambda: list(pool.map(abs, [1])))
print("threads alive:", threading.active_count())


async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor() as pool:
        try:
            await loop.run_in_executor(pool, sum, [1, 2])
        except RuntimeError as exc:
            print("run_in_executor(pool) ->", type(exc).__name__)
    fut = loop.create_future()
    loop.call_soon_threadsafe(fut.set_result, "call_soon_threadsafe from the loop's own thread works")
    print(await fut)
    await asyncio.sleep(0.1)
    return "asyncio still works"

print(asyncio.run(main()))
