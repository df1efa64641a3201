# A worker that counts every SIGINT and SIGTERM the kernel delivers to it, and to a child of its own
# that left its session (setsid). Each process writes "<deliveries>" to <dir>/count.<pid> one second
# after its first signal, then exits 0; "<dir>/ready.<pid>" appears once its handlers are installed.
# Deliveries are counted with signal.set_wakeup_fd, which writes one byte per C-level delivery
# (Python's own handler could fold two quick deliveries into one call).
import os, select, signal, sys, time

out = sys.argv[1]
if len(sys.argv) > 2 and sys.argv[2] == "--setsid-child" and os.fork() == 0:
    os.setsid()

r, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)
for s in (signal.SIGINT, signal.SIGTERM):
    signal.signal(s, lambda *a: None)
me = os.getpid()
open(os.path.join(out, "ready.%d" % me), "w").close()
count, first = 0, None
while first is None or time.monotonic() - first < 1.0:
    ready, _, _ = select.select([r], [], [], 0.1)
    if ready:
        count += len(os.read(r, 64))
        if first is None:
            first = time.monotonic()
with open(os.path.join(out, "count.%d" % me), "w") as f:
    f.write(str(count))
