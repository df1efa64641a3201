"""A background worker in another language: prints a tick every few seconds.

zdm runs it with python3 (inferred from .py), captures stdout/stderr into logs/<app>.out.log and
logs/<app>.err.log with timestamps, and restarts it with backoff if it crashes."""
import os
import signal
import sys
import time

interval = float(os.environ.get("TICK_SECONDS", "5"))
worker = os.environ.get("ZDM_WORKER_ID", "?")
running = True


def stop(signum, frame):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
print(f"ticker {worker} started, pid {os.getpid()}", flush=True)
n = 0
while running:
    n += 1
    print(f"tick {n}", flush=True)
    time.sleep(interval)
print("ticker stopping", flush=True)
sys.exit(0)
