# Attack: flood the host with line numbers that no marker ever places (frames written to the trace device by hand), so that it keeps them all, copies them over and over, and is busy long past the run's time limit.
# The host must refuse the run as damaged as soon as more arrive than the step budget allows; if the run ends normally instead, the flood was accepted.
import os

fd = os.open("/dev/looplab-trace", os.O_WRONLY)
payload = (7).to_bytes(4, "little") * 4_000_000  # 16 MB of line numbers, and no marker
for _ in range(8):
    os.write(fd, (2).to_bytes(4, "little") + len(payload).to_bytes(4, "little"))
    os.write(fd, b"[]")
    os.write(fd, payload)
print("ESCAPED: 32 million unplaced line numbers were taken as a normal run")
