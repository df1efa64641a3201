# Test worker for liveness: watchdog: says READY=1, then WATCHDOG=1 every 0.2 s, BEATS times (forever when
# unset), then hangs without a word, as a stuck process would. Checks that WATCHDOG_USEC is what zdm promised.
import os
import socket
import time

address = os.environ["NOTIFY_SOCKET"]
assert os.environ["WATCHDOG_USEC"] == os.environ["EXPECT_USEC"], os.environ.get("WATCHDOG_USEC")
with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
    s.sendto(b"READY=1\nSTATUS=beating\n", address)
    beats = int(os.environ.get("BEATS", "-1"))
    while beats != 0:
        time.sleep(0.2)
        s.sendto(b"WATCHDOG=1", address)
        beats -= 1
    s.sendto(b"STATUS=silent\n", address)
time.sleep(3600)
