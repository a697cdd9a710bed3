import asyncio

print(asyncio)
