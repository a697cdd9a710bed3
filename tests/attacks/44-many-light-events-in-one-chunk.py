# Attack 44: make the host check a hundred thousand events against the trace contract in one of
# its tasks. A chunk was held to a weight (values in its JSON), not to a count of events: 99,000
# one-character outputs weighed under that cap, and took the host 0.3-0.7 s of one task to check
# (written as a frame of its own, or put in the recorder's own chunk, reached from the runner's
# frame, and flushed). Now that the weight counts characters too, 80,000 of them (~372,500) still
# weigh under it: the count of events is what must refuse them.
# Expected: the run ends as damaged (no chunk carries more than MESSAGE_EVENTS).
import os
import sys

print("before")
events = [["out", "stdout", "x"]] * 80_000
if "--recorder" in sys.argv:
    frame = sys._getframe()
    rec = None
    while frame is not None and rec is None:
        rec = frame.f_locals.get("rec")
        frame = frame.f_back
    if rec is None:
        print("blocked: the recorder is out of reach")
    else:
        rec.ev.extend(events)
        rec.flush()
else:
    wire = ("[" + ",".join('["out","stdout","x"]' for _ in events) + "]").encode()
    fd = os.open("/dev/looplab-trace", os.O_WRONLY)
    os.write(fd, len(wire).to_bytes(4, "little") + (0).to_bytes(4, "little") + wire)
print("ESCAPED: 80,000 events were checked in one task")
