# Attack: flood the host with line numbers that no marker ever places (frames written to the trace device by hand), so that it keeps them all, copies them over and over, and is busy long past the run's time limit.
# The host must refuse the run as damaged as soon as more arrive than the step budget allows; if the run ends normally instead, the flood was accepted.
import os

fd = os.open("/dev/looplab-trace", os.O_WRONLY)
# In frames of 10,000: as many as one chunk may carry (MESSAGE_LINES), so only the budget stops them.
payload = (7).to_bytes(4, "little") * 10_000
for _ in range(3_200):
    os.write(fd, (2).to_bytes(4, "little") + len(payload).to_bytes(4, "little") + b"[]" + payload)
print("ESCAPED: 32 million unplaced line numbers were taken as a normal run")
