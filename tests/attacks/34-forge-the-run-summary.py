# Attack: replace the tracer's own end of the run, so that the summary the host is given says what the program likes (a clean exit, an hour of virtual time) whatever the events show.
# The host must hold the summary to the events and end the run as damaged.
import json, sys

runner = sys.modules["_looplab.runner"]


def forged_finish(rec, status, dumps=json.dumps):  # bound now: the program's globals are gone by then
    return dumps({"events": [], "lines": [], "status": 0, "limited": False, "clock": 3600.0, "wallMs": 1.0})


runner._finish = forged_finish
raise SystemExit("ESCAPED: if this run ends 'ok' at 3600 s, the summary was believed")
