# A tiny ASGI app for uvicorn: GET /slow answers after 3 s (it creates <STARTED_FILE> as it begins,
# so a test knows the request is in flight); every other path answers at once.
import asyncio, os

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b"ok"
    if scope["path"] == "/slow":
        open(os.environ["STARTED_FILE"], "w").close()
        await asyncio.sleep(3)
        body = b"slow done"
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
