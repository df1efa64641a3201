# A WSGI app. gunicorn binds $PORT by itself (listen: proxy) or takes fd 3 from LISTEN_FDS (listen: socket).
import os


def app(environ, start_response):
    body = f"python pid {os.getpid()}\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
