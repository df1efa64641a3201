# Test worker for listen: socket + ready: notify, in another language than Node: serves HTTP on the
# inherited fd 3 (LISTEN_PID must be its own pid) and says READY=1 to NOTIFY_SOCKET after
# NOTIFY_AFTER_S seconds (never, when NOTIFY_AFTER_S is "never"). On SIGTERM it says STOPPING=1 first,
# as puma does, and exits with code 0, or 1 when that send fails (the socket must outlive READY=1).
import http.server
import os
import signal
import socket
import time

assert os.environ.get("LISTEN_PID") == str(os.getpid()), "LISTEN_PID is not this process"
assert os.environ.get("LISTEN_FDS") == "1"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"python pid {os.getpid()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def notify(message):
    address = os.environ["NOTIFY_SOCKET"]
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as n:
        n.sendto(message, address)


def on_term(*_):
    try:
        notify(b"STOPPING=1\nSTATUS=stopping\n")
    except OSError as e:
        print(f"STOPPING=1 failed: {e}", flush=True)
        os._exit(1)
    os._exit(0)


signal.signal(signal.SIGTERM, on_term)
server = http.server.HTTPServer(("", 0), Handler, bind_and_activate=False)
server.socket = socket.socket(fileno=3)
after = os.environ.get("NOTIFY_AFTER_S", "1.5")
if after != "never":
    time.sleep(float(after))
    notify(b"STATUS=warmed up\nREADY=1\n")
print("serving", flush=True)
server.serve_forever()
