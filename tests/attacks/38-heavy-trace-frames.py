# Attack: make the host build millions of tiny values from one frame written to the trace device by hand. Weighed by its bytes it is modest (about 16 MB, under every byte cap), but parsed and checked it was a million objects: a reviewer's frames of this kind held the host's thread for 3 to 36 seconds and took gigabytes.
# The host must weigh the frame before parsing it and end the run as a trace grown too long, keeping the steps before; if the run goes on, the frame was taken.
import os

print("before")
state = b'{"id":0,"type":"Queue","label":"q","size":0}'
event = b'["out","stdout","x",{"objects":[' + b",".join([state] * 20_000) + b"]}]"
body = b"[" + b",".join([event] * 18) + b"]"
fd = os.open("/dev/looplab-trace", os.O_WRONLY)
os.write(fd, len(body).to_bytes(4, "little") + (0).to_bytes(4, "little") + body)
print("ESCAPED: a frame of a million values was taken as a normal run")
