# A finite computation of about 60,000 line events (issue 12): it must finish, not meet the
# step budget.
import asyncio


async def squares(n):
    return sum(i * i for i in range(n))


async def main():
    totals = await asyncio.gather(squares(20000), squares(20000), squares(20000))
    print(totals)


asyncio.run(main())
