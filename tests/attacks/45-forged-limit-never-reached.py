# Attack 45: end a run of a few lines as a runaway loop. The program finds the tracer's recorder
# from its frame and sets its `stopped` by hand, with the tracer's own words for a step budget
# reached (or, with --events, for a trace grown past its most events): the run then ended as
# "may never end", its banner said so, and the renderer kept that trace for this source.
# Expected: the run ends as damaged (a limit the trace never reached is not the tracer's).
import sys

print("before")
frame = sys._getframe()
rec = None
while frame is not None and rec is None:
    rec = frame.f_locals.get("rec")
    frame = frame.f_back
if rec is None:
    print("blocked: the recorder is out of reach")
else:
    StopProgram = sys.modules["_looplab.stop"].StopProgram
    if "--events" in sys.argv:
        rec.stopped = StopProgram("events", f"The trace grew past {rec.max_events:,} loop events (task steps, timers, queue moves), the most Loop Lab keeps for one run (it was at line 3). It may never end. The steps so far are kept.")
    else:
        rec.stopped = StopProgram("steps", f"The program ran {rec.max_steps:,} lines, its step budget, and had not finished (it was at line 3). It may never end. The steps so far are kept.")
print("ESCAPED: a run of a few lines ended as a runaway loop")
