# Attack 46: end a run of a few lines with a limit in the tracer's exact words, its numbers the
# run's own, none of which the run reached. The program takes the tracer's recorder from
# sys.stdout (or its frames) and sets its `stopped` by hand: "ran for 10 seconds of real time" a
# moment after it began (--time), "kept asking for memory" at a few MB (--memory), a deadlock at
# module level with no loop running (--deadlock), a step budget reached with a made-up count of
# lines of code it compiled (--compiled); or it raises the tracer's output cap and prints past the
# run's (--output), then goes on. The host took each on the words alone.
# Expected: the run ends as damaged (each limit is held to the host's own measure of it).
import sys

print("before")
rec = getattr(sys.stdout, "_rec", None)
frame = sys._getframe()
while frame is not None and rec is None:
    rec = frame.f_locals.get("rec")
    frame = frame.f_back
if rec is None:
    print("blocked: the recorder is out of reach")
else:
    StopProgram = sys.modules["_looplab.stop"].StopProgram
    if "--memory" in sys.argv:
        rec.stopped = StopProgram("memory", f"The program kept asking for memory, past the {rec.heap_limit // (1024 * 1024)} MB Loop Lab allows (it was at line 3). The steps so far are kept.")
    elif "--deadlock" in sys.argv:
        rec.stopped = StopProgram("deadlock", "Every task is waiting for something that can never happen, so the loop has nothing left to run: Task-1 waits on nothing. Real Python would wait here forever.")
    elif "--compiled" in sys.argv:
        rec.foreign_steps = 10**9
        try:
            rec.stop_at_budget()
        except BaseException:
            pass
    elif "--output" in sys.argv:
        rec.max_output += 1_000_000
        print("x" * (rec.max_output - rec.output_chars - 10))
        print("and the program goes on")
    else:  # --time, and the default (as e2e/isolation.spec.ts runs it, with no flag)
        rec.stopped = StopProgram("time", f"The program ran for {rec.wall_limit:g} seconds of real time without finishing (it was at line 3). The steps so far are kept.")
print("ESCAPED: a run of a few lines ended with a limit it never reached")
