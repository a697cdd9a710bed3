# Attack: numbers JSON cannot carry (NaN, infinity) to crash the worker
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import asyncio, time

attempt("time.sleep(nan)", lambda: time.sleep(float("nan")))
attempt("time.sleep(inf)", lambda: time.sleep(float("inf")))

async def main():
    loop = asyncio.get_running_loop()
    loop.call_at(float("nan"), print, "nan timer ran")
    loop.call_later(float("-inf"), print, "-inf timer ran")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
asyncio.run(main())
# The worker must neither crash nor send numbers the host cannot read: still here, still traced.
print("blocked: non-finite timers crashed nothing")
