import asyncio
import datetime
import time


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)


def seconds_of_day(stamp):
    hours, minutes, seconds = (int(part) for part in stamp.split(":"))
    return hours * 3600 + minutes * 60 + seconds


async def main():
    started = time.time()
    stamp = time.strftime("%H:%M:%S")
    local = time.mktime(time.localtime())
    now = datetime.datetime.now()
    await say_after(1, "hello")
    await say_after(2, "world")
    print("time.time:", round(time.time() - started, 1))
    print("strftime:", (seconds_of_day(time.strftime("%H:%M:%S")) - seconds_of_day(stamp)) % 86400)
    print("localtime:", round(time.mktime(time.localtime()) - local))
    print("datetime.now:", round((datetime.datetime.now() - now).total_seconds(), 1))
    print("ctime is a date:", len(time.ctime().split()) == 5)
    print("today:", datetime.date.today() == datetime.datetime.now().date())


asyncio.run(main())
