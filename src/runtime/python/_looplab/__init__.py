"""Loop Lab's tracer: run a learner's program on a virtual-time asyncio loop and record a trace.

This package runs inside Pyodide (CPython compiled to WebAssembly). The host calls
``runner.run()`` with the program's source. The program runs on CPython's own asyncio, with
three changes:

* the event loop is ``_UnixSelectorEventLoop``: CPython's ``BaseEventLoop`` with a selector
  that moves a virtual clock instead of blocking, so ``asyncio.sleep(1)`` costs no wall time
  (``loop.py``, ``clock.py``);
* ``time.sleep``, ``time.time``, ``time.monotonic`` and ``time.perf_counter`` read and move that
  same virtual clock, and so do ``time.clock_gettime``, ``time.localtime``/``strftime``/``ctime``
  and ``datetime.now`` when given no time of their own; CPU time (``time.process_time``) stays
  at 0.0 (``clock.py``);
* ``sys.monitoring`` reports each line of the learner's code (``lines.py``), and the loop's
  ready queue, its timer heap and every task step are observed as they happen
  (``observe.py``), into a ``Recorder`` (``recorder.py``) that enforces the run's limits and
  streams the trace to the host in the compact wire form of ``wire.py``.

``sandbox.py`` closes what a program must not reach; ``tracebacks.py`` keeps this package's
frames out of what the learner sees. The learner's frames never see ours.

One module, one job:

=================  ============================================================
``current.py``     the run in progress (its Recorder), read by the loop and clock
``wire.py``        the wire codes and their encoding (kept in step with wire.ts)
``recorder.py``    one run's trace, its limits, the identities of tasks/handles
``observe.py``     what the loop does: ready queue, timers, task steps, waits
``clock.py``       the virtual clock and every stdlib function that reads time
``loop.py``        the virtual-time event loop, its selector, Task, as_completed
``holders.py``     which task holds each asyncio.Lock (what a lock's waiter waits for)
``deadlock.py``    a deadlock's message: each stuck task, its wait and its line
``threads.py``     every way to start a thread says WebAssembly has none
``lines.py``       the LINE/JUMP hooks: the hot path
``streams.py``     sys.stdout/sys.stderr of a run
``hooks.py``       the program's own trace, profile and monitoring hooks see only it
``tracebacks.py``  tracebacks and warnings as CPython shows them
``trusted.py``     the code there before any program, trusted by identity
``sandbox.py``     the doors a program must find closed
``runner.py``      install() once, run() per program
=================  ============================================================
"""
