"""The run in progress: its Recorder, or None between runs (and in untraced runs).

The loop, the clock and the streams all read ``current.recorder`` when something happens, so
that what they do is recorded only while a run is traced.
"""

recorder = None  # the Recorder of the run in progress, if any
idle_clock = [0.0]  # the virtual clock, in seconds, when no run is recorded
