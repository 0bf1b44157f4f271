#!/usr/bin/env python3
"""A fixed-rate HTTPS load driver for AdmissionReviews: sends POSTs at exactly --rate per second
(open loop: a slow answer does not delay the next request), over a pool of keep-alive
connections as kube-apiserver keeps them, and prints latency percentiles as JSON.

Latency is measured from the moment the driver got to send a request, not from when a connection
was free, so waiting for a connection (all busy with slow answers) counts; the driver's own timer
lateness (asyncio sleeps to the millisecond) does not.
"""
import argparse
import asyncio
import json
import ssl
import sys
import time


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


class Pool:
    def __init__(self, args, context):
        self.args = args
        self.context = context
        self.idle = []
        self.opened = 0

    async def connection(self):
        if self.idle:
            return self.idle.pop()
        self.opened += 1
        return await asyncio.open_connection(
            self.args.host, self.args.port, ssl=self.context,
            server_hostname=self.args.server_name if self.context else None)

    def release(self, connection):
        self.idle.append(connection)


async def one(pool, request, latencies, failures, check):
    started = time.perf_counter()
    try:
        reader, writer = await pool.connection()
        writer.write(request)
        await writer.drain()
        status, body = await read_response(reader)
        latencies.append(time.perf_counter() - started)
        if status != 200 or (check and check not in body):
            failures.append(f"status {status}: {body[:200]!r}")
        pool.release((reader, writer))
    except Exception as error:  # a failed request is counted, not fatal
        failures.append(repr(error))


async def run(args):
    body = open(args.body, "rb").read()
    request = (
        f"POST {args.path} HTTP/1.1\r\nHost: {args.server_name}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    context = None
    if args.cacert:
        context = ssl.create_default_context(cafile=args.cacert)
    pool = Pool(args, context)
    # Open the pool first, as a long-running API server has it open already.
    warm = [await pool.connection() for _ in range(args.connections)]
    for connection in warm:
        pool.release(connection)
    check = args.expect.encode() if args.expect else None
    total = int(args.rate * args.duration)
    latencies, failures, tasks = [], [], []
    start = time.perf_counter() + 0.05
    for i in range(total):
        due = start + i / args.rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(pool, request, latencies, failures, check)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def percentile(p):
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] * 1000

    json.dump({
        "requests": total, "completed": len(latencies), "failures": len(failures),
        "firstFailure": failures[0] if failures else None, "rate": total / elapsed,
        "p50ms": percentile(50), "p90ms": percentile(90), "p99ms": percentile(99), "maxms": percentile(100),
        "connections": pool.opened, "requestBytes": len(request),
    }, sys.stdout)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/inject?timeout=10s")
    parser.add_argument("--server-name", default="localhost")
    parser.add_argument("--cacert", help="PEM CA to trust; without it, plain HTTP")
    parser.add_argument("--body", required=True)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--expect", help="a string every response body must contain")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
