# Attack 73: events no real run writes, in the tracer's own shapes. A program reaches the tracer's
# recorder (its own frame's f_back is the runner's, whose locals hold it) and adds events to its
# chunk, or writes a frame of its own to the trace channel: a pop of a task that was never queued,
# a task finished twice, output given to a task that sleeps, an exception on a line the program
# does not have, a sleeping task finished, a second task run while the first still runs. Each
# had the shape the contract gives it, and the host took the run as normal.
# Expected: the run ends as damaged, saying which rule the trace broke; "before" is kept.
import asyncio
import os
import sys

# Task-2 (id 1) sleeps while the forgery is written; the test picks one (MODE) and the way (CHANNEL).
FORGERIES = {
    "pop": [["pop", 0, ["t", 1], 0]],
    "done-twice": [["done", 0, "result", "None", None], ["done", 0, "result", "None", None]],
    "sleeper-prints": [["eager", 1], ["out", "stdout", "x", {"frames": [{"name": "main", "line": 20, "user": 1}]}]],
    "line": [["exc", "ValueError", "forged", 9999]],
    # helper-144's: the sleeping Task-2 shown as done; Task-2 run while main still runs (main
    # then leaves every lane of the board).
    "sleeper-done": [["done", 1, "result", "forged", None]],
    "vanish": [["push", 0, ["t", 1], "wake", None], ["pop", 0, ["t", 1], 0]],
}
MODE = "pop"
CHANNEL = False
forged = FORGERIES[MODE]


async def main():
    print("before")
    sleeper = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)  # Task-2 is made, queued, run, and now sleeps
    if CHANNEL:
        wire = repr(forged).replace("'", '"').replace("None", "null").encode()
        fd = os.open("/dev/looplab-trace", os.O_WRONLY)
        os.write(fd, len(wire).to_bytes(4, "little") + (0).to_bytes(4, "little") + wire)
    else:
        frame = sys._getframe()
        rec = None
        while frame is not None and rec is None:
            rec = frame.f_locals.get("rec")
            frame = frame.f_back
        if rec is None:
            print("blocked: the recorder is out of reach")
            return
        rec.mark_lines()
        rec.ev.extend(forged)
        rec.flush()
    await asyncio.sleep(0)
    sleeper.cancel()
    print("ESCAPED: a forged trace was taken as the program's own")


asyncio.run(main())
