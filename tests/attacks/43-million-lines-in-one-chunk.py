# Attack 43: make the host turn a million line numbers into events in one of its tasks. Each
# message carried at most 10,000 line numbers, but one marker may place every line sent before
# it: 99 frames of 10,000 written by hand (within the default step budget of a million), then a
# frame whose marker places them all (or the
# recorder's own line array, reached from the runner's frame, filled and flushed). The host
# spent 170–300 ms of one task decoding them, and took the run as normal.
# Expected: the run ends as damaged (no chunk carries or places more than MESSAGE_LINES).
import os
import sys

print("before")
if "--recorder" in sys.argv:
    frame = sys._getframe()
    rec = None
    while frame is not None and rec is None:
        rec = frame.f_locals.get("rec")
        frame = frame.f_back
    if rec is None:
        print("blocked: the recorder is out of reach")
    else:
        rec.lines.fromlist([1] * 1_000_000)
        rec.flush()
else:
    fd = os.open("/dev/looplab-trace", os.O_WRONLY)
    lines = (1).to_bytes(4, "little") * 10_000
    for _ in range(99):
        os.write(fd, (2).to_bytes(4, "little") + len(lines).to_bytes(4, "little") + b"[]" + lines)
    marker = b"[990000]"
    os.write(fd, len(marker).to_bytes(4, "little") + (0).to_bytes(4, "little") + marker)
print("ESCAPED: a million line numbers were placed by one chunk")
