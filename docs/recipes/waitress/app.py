# A WSGI app for waitress. waitress has no graceful stop (SIGTERM ends it with requests in flight),
# so run it behind zdm's proxy, which drains a worker before it is signalled.
import os


def app(environ, start_response):
    body = f"waitress pid {os.getpid()}\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
