import asyncio

loop = asyncio.new_event_loop()
count = 0


def tick():
    global count
    count += 1
    print("tick", count, "at", round(loop.time() - start, 1))
    if count < 4:
        loop.call_later(0.3, tick)
    else:
        loop.stop()


start = loop.time()
loop.call_soon(tick)
print("run_forever starts")
loop.run_forever()
print("run_forever returned; running:", loop.is_running())
loop.close()
