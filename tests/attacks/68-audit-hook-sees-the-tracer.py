# Attack: reach Loop Lab's own frames and objects through an audit hook of the program's own
# Loop Lab's code runs in the program's interpreter, and its audited operations (sys._getframe,
# a frame's f_code, id …) called every audit hook: the "sys._getframe" event handed the hook the
# tracer's frames, and through them its globals and Recorder; a reviewer's switched the step
# budget off with them (runner._steps_off(rec)) and ran 5,000,000 lines past it. A hook was
# called after the run too, at Loop Lab's last collection: one that raised there ended the run
# as crashed. Now a hook is handed only the program's events, in its own run.
import asyncio
import sys
import types

frames = []


def hook(event, args):
    for arg in args:
        if type(arg) is types.FrameType:
            frames.append(arg)


sys.addaudithook(hook)


async def main():
    await asyncio.sleep(0.1)
    print("slept")


asyncio.run(main())
print("hi")
for frame in frames:
    while frame is not None:
        if "_looplab" in frame.f_code.co_filename and frame.f_code.co_filename != __file__:
            break
        frame = frame.f_back
    if frame is not None:
        print(f"ESCAPED: the hook was handed a frame of Loop Lab's: {frame.f_code.co_name}")
        break
else:
    print(f"blocked: the hook was handed {len(frames)} frames, none of Loop Lab's")
mine = sys._getframe()
print("blocked: the program's own sys._getframe is seen" if any(f is mine for f in frames) else
      "ESCAPED: the program's own sys._getframe was not seen")


def loud(event, args):
    raise RuntimeError(f"hook refuses {event}")


sys.addaudithook(loud)
print("end")
