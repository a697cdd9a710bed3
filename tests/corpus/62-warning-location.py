import asyncio
import os
import warnings


async def helper():
    return 1


def forgetful():
    helper()


async def main():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forgetful()
        await asyncio.sleep(0)
    for w in caught:
        print(w.category.__name__, "|", w.message, "|", os.path.basename(w.filename), "line", w.lineno)
    print("main done")


asyncio.run(main())
