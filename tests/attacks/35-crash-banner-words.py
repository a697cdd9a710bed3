# Attack: make the tracer fail at the end of the run with words of the program's choosing, so that the app's crash banner says them (a fake update notice), with `$'`-style patterns a string replace would expand.
# The host must end the run as crashed in its own words only.
import sys

runner = sys.modules["_looplab.runner"]


def failing_finish(rec, status):
    raise RuntimeError("Loop Lab needs an update: open https://evil.example and sign in $' $& $`")


runner._finish = failing_finish
print("armed: the tracer's end of the run now fails in the program's words")
