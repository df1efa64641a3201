// zdm preload for `listen: socket` apps and for apps that use pm2's messages (loaded with
// NODE_OPTIONS=--require by zdm; do not edit the copy in $ZDM_HOME, the daemon rewrites it).
//
// 1. Listening: zdm passes the app's listening socket as fd 3 (systemd socket activation:
//    LISTEN_FDS=1, LISTEN_PID=<this pid>). The first listen() on the app's PORT (a number, a numeric
//    string or {port}) is turned into a listen on {fd: 3}; the host argument is ignored (the daemon
//    bound the socket). Every worker accepts from the same kernel queue: no proxy hop.
// 2. Draining, on the stop signal (ZDM_STOP_SIGNAL, SIGTERM by default) or when the app itself
//    calls server.close()/closeIdleConnections() on that server: stop accepting (close this
//    process's copy of fd 3; the socket stays open in the daemon and the other workers, so no
//    connection is refused), answer in-flight and later requests with `Connection: close`, close
//    connections that stay idle for IDLE_GRACE_MS (not at once: a keep-alive client may be sending
//    its next request right now; HTTP servers only), or FRESH_GRACE_MS for a connection that has not
//    sent its first request yet (a client slow to send it, on a busy machine or a browser's preconnect,
//    would lose it: it cannot know the server was stopping), and exit once every connection is gone, unless the app has its
//    own handler for the signal (then exiting is the app's business). kill_timeout stays the bound.
// 3. pm2's messages, for apps written for pm2 (ZDM_READY_FILE, ZDM_SHUTDOWN_MESSAGE; see the end).
// 4. listen: auto's readiness (ZDM_READY_ON=listening): ZDM_READY_FILE is created at the listening event
//    of the server that took fd 3.
// 5. A Node app without port: (pm2's cluster habit, listen(process.env.PORT || 3000)): ZDM_LISTEN_REQUEST names a
//    file. The first listen() on a TCP port that is not the inherited socket's (ZDM_SHARED_PORT) is held back, its
//    port and host are written there, and the daemon binds that port once and starts this worker again with the
//    socket as fd 3 (see requestPort).
// 6. Spreading the connections (ZDM_ACCEPT_SHARE): the workers share one accept queue, and the kernel hands a new
//    connection to whichever worker calls accept() first, which is the one already running: the busiest. So each
//    worker writes its open connections into a slot of the app's share file, and one with more than the fewest of
//    the others plus one stops polling the shared socket for a while (see shareAccepts). The queue stays shared:
//    nothing is refused or lost when a worker leaves. ZDM_ACCEPT_MAX_PAUSE_MS=0 in the app's env turns it off.
'use strict';

const net = require('net');

const IDLE_GRACE_MS = Number(process.env.ZDM_DRAIN_IDLE_MS || 500);
// Below kill_timeout's default (5 s), so that a worker whose last client never speaks still exits by itself.
const FRESH_GRACE_MS = Math.max(IDLE_GRACE_MS, 3000);
const SWEEP_MS = 50;

const inherited = process.env.LISTEN_FDS === '1' && process.env.LISTEN_PID === String(process.pid);
const appPort = process.env.ZDM_SHARED_PORT || process.env.PORT;
const listenRequest = process.env.ZDM_LISTEN_REQUEST;

if ((inherited && appPort) || listenRequest) {
  // Like sd_listen_fds(1): children must not believe the socket is theirs.
  delete process.env.LISTEN_FDS;
  delete process.env.LISTEN_PID;
  delete process.env.LISTEN_FDNAMES;
  delete process.env.ZDM_SHARED_PORT;
  delete process.env.ZDM_LISTEN_REQUEST;
  const acceptShare = process.env.ZDM_ACCEPT_SHARE;
  delete process.env.ZDM_ACCEPT_SHARE;

  const originalListen = net.Server.prototype.listen;
  const servers = new Set();
  let taken = false;
  let stopping = false;

  const isAppPort = (args) => {
    const first = args[0];
    if (typeof first === 'number' || typeof first === 'string') return String(first) === appPort;
    return first !== null && typeof first === 'object' && first.fd === undefined && first.path === undefined
      && first.port !== undefined && String(first.port) === appPort;
  };

  net.Server.prototype.listen = function zdmListen(...args) {
    if (taken) return originalListen.apply(this, args);
    if (!(inherited && appPort && isAppPort(args))) {
      const wanted = listenRequest ? tcpListen(args) : null;
      if (!wanted) return originalListen.apply(this, args);
      taken = true;
      requestPort(listenRequest, wanted);
      return this;
    }
    taken = true;
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    adopt(this);
    if (acceptShare && Number(process.env.ZDM_ACCEPT_MAX_PAUSE_MS || 10) > 0) shareAccepts(this, acceptShare);
    // listen: auto's readiness: the worker is ready when it listens, as a pm2 cluster worker is.
    if (process.env.ZDM_READY_ON === 'listening' && process.env.ZDM_READY_FILE) {
      const file = process.env.ZDM_READY_FILE;
      this.once('listening', () => {
        try { require('fs').writeFileSync(file, ''); } catch (e) { /* the daemon's listen_timeout reports it */ }
      });
    }
    const options = { fd: 3, backlog: 1024 };
    return callback ? originalListen.call(this, options, callback) : originalListen.call(this, options);
  };

  // Tracks each connection: idle since when (null while a request is being answered).
  function adopt(server) {
    servers.add(server);
    const connections = new Map();
    let draining = false;
    let sweeper = null;

    server.on('connection', (socket) => {
      connections.set(socket, { idleSince: Date.now(), res: null, fresh: true });
      socket.once('close', () => connections.delete(socket));
    });
    server.prependListener('request', (req, res) => {
      const c = connections.get(req.socket);
      if (c) { c.idleSince = null; c.res = res; c.fresh = false; }
      if (draining) res.shouldKeepAlive = false;
      res.once('finish', () => {
        const now = connections.get(req.socket);
        if (now && now.res === res) { now.idleSince = Date.now(); now.res = null; }
      });
    });
    // An upgraded connection (a WebSocket) is busy for good: it must live until the drain ends (kill_timeout),
    // as it does behind the proxy. Hooked in emit, not as a listener: adding an 'upgrade' listener would change
    // what node does with upgrade requests of an app that has none (it destroys them).
    const emit = server.emit;
    server.emit = function zdmEmit(event, ...args) {
      if (event === 'upgrade') {
        const c = connections.get(args[1]);
        if (c) { c.idleSince = null; c.res = null; c.fresh = false; }
      }
      return emit.call(this, event, ...args);
    };
    server.once('close', () => {
      servers.delete(server);
      if (sweeper) clearInterval(sweeper);
      maybeExit();
    });

    const beginDrain = () => {
      if (draining) return;
      draining = true;
      for (const c of connections.values()) {
        if (c.res && !c.res.headersSent) c.res.shouldKeepAlive = false;
      }
      // A plain net.Server (no HTTP requests) has no idle state we could know: its connections
      // are left to end by themselves (or to kill_timeout).
      if (server.listenerCount('request') <= 1) return;
      sweeper = setInterval(() => {
        const now = Date.now();
        for (const [socket, c] of connections) {
          if (c.idleSince !== null && now - c.idleSince >= (c.fresh ? FRESH_GRACE_MS : IDLE_GRACE_MS)) socket.destroy();
        }
      }, SWEEP_MS);
      sweeper.unref();
    };
    // http.Server.close() calls closeIdleConnections() first: make both graceful for this server.
    server.closeIdleConnections = beginDrain;
    server.zdmDrain = () => {
      beginDrain();
      if (server.listening) server.close();
    };
  }

  const signal = process.env.ZDM_STOP_SIGNAL || 'SIGTERM';
  const onStop = () => {
    stopping = true;
    for (const server of [...servers]) server.zdmDrain();
    maybeExit();
  };
  process.on(signal, onStop);

  function maybeExit() {
    if (!stopping || servers.size > 0) return;
    // The app's own handler, if any, decides when to exit (it ran too: listeners all run).
    if (process.listenerCount(signal) > 1) return;
    process.exit(0);
  }
}

// Evens out the connections of the workers that share the socket (6. above). The share file holds one 8-byte slot per
// worker: its pid and its open connections (a slot whose pid is 0 or dead is free). After each accept, a worker with more
// connections than the fewest of the other live workers plus one pauses: it takes the shared socket out of its event loop
// (readStop on the listening handle; readStart puts it back), so the others' accept() calls win. It polls again once it
// is back within that bound, or once the others' counts stood still for MAX_PAUSE_MS (ZDM_ACCEPT_MAX_PAUSE_MS), and then
// does not pause again until they move: a worker that cannot take connections (one stuck in a long synchronous task)
// delays new connections once by about that, never loses them. libuv accepts every connection already queued in one go, so a burst that queues before any worker runs still goes
// to one. Anything unexpected (no file, a handle without readStop) leaves the worker accepting as before.
function shareAccepts(server, file) {
  const fs = require('fs');
  const SLOT = 8;
  const SLOTS = 512;
  const RECHECK_MS = 2;
  const MAX_PAUSE_MS = Number(process.env.ZDM_ACCEPT_MAX_PAUSE_MS || 10);
  let fd;
  try { fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600); } catch (e) { return; }
  const table = Buffer.alloc(SLOT * SLOTS);
  const mine = Buffer.alloc(SLOT);
  let slot = -1;
  let count = 0;
  let pausedAt = 0;
  let others = 0; // the other workers' connections at the last look: while they change, the pause goes on
  let stalled = -1; // their count when a pause ran out: no pausing again until it moves (one of them may be stuck)
  let timer = null;

  const read = () => { try { return fs.readSync(fd, table, 0, table.length, 0); } catch (e) { return 0; } };
  const pidAt = (i, n) => ((i + 1) * SLOT <= n ? table.readInt32LE(i * SLOT) : 0);
  const write = (i, pid, connections) => {
    mine.writeInt32LE(pid, 0);
    mine.writeInt32LE(connections, 4);
    try { fs.writeSync(fd, mine, 0, SLOT, i * SLOT); } catch (e) { /* the daemon's directory is gone: it is stopping */ }
  };
  const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
  const claim = (n) => {
    slot = -1;
    for (let i = 0; i < SLOTS && slot < 0; i++) {
      const pid = pidAt(i, n);
      if (pid === 0 || pid === process.pid || !alive(pid)) slot = i;
    }
  };
  // The fewest connections of the other live workers (Infinity when there is none); a dead worker's slot is freed.
  const fewest = (n) => {
    for (;;) {
      let least = Infinity;
      let who = -1;
      let total = 0;
      for (let i = 0; (i + 1) * SLOT <= n; i++) {
        const pid = table.readInt32LE(i * SLOT);
        if (i === slot || pid === 0) continue;
        const c = table.readInt32LE(i * SLOT + 4);
        total += c;
        if (c < least) { least = c; who = i; }
      }
      if (who < 0 || alive(table.readInt32LE(who * SLOT))) {
        if (total !== others) pausedAt = Date.now();
        others = total;
        return least;
      }
      table.writeInt32LE(0, who * SLOT);
      write(who, 0, 0);
    }
  };
  const overShare = () => {
    const n = read();
    if (slot < 0 || pidAt(slot, n) !== process.pid) claim(n); // first time, or another worker took the slot
    if (slot < 0) return false;
    write(slot, process.pid, count);
    return count > fewest(n) + 1 && others !== stalled;
  };
  const handle = () => (server._handle && typeof server._handle.readStop === 'function' ? server._handle : null);
  const resume = () => {
    timer = null;
    const h = handle();
    if (h) h.readStart();
  };
  const recheck = () => {
    if (!overShare()) resume();
    else if (Date.now() - pausedAt < MAX_PAUSE_MS) timer = setTimeout(recheck, RECHECK_MS);
    else {
      stalled = others;
      resume();
    }
  };

  // Known to the others from the start, with 0 connections: else one that has some would not see it and never pause.
  server.once('listening', overShare);
  server.on('connection', (socket) => {
    count++;
    socket.once('close', () => {
      count--;
      if (slot >= 0) write(slot, process.pid, count);
    });
    if (timer || !overShare()) return;
    const h = handle();
    if (!h) return;
    h.readStart(); // sets libuv's reading flag (a listening handle has none), without which readStop does nothing
    h.readStop();
    pausedAt = Date.now();
    timer = setTimeout(recheck, RECHECK_MS);
  });
  const release = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (slot >= 0 && pidAt(slot, read()) === process.pid) write(slot, 0, 0);
    slot = -1;
  };
  // A draining worker takes no more connections: its slot is freed at once, not when its last connection ends.
  const close = server.close;
  server.close = function zdmClose(...args) {
    release();
    return close.apply(this, args);
  };
  server.once('close', release);
  process.once('exit', release);
}

// The port and host of listen(port[, host][, backlog][, cb]) or listen({port, host}), if it asks for a fixed TCP
// port (not 0, a path, a handle or an fd); else null.
function tcpListen(args) {
  const first = args[0];
  let port;
  let host;
  if (typeof first === 'number' || (typeof first === 'string' && /^[0-9]+$/.test(first))) {
    port = Number(first);
    host = typeof args[1] === 'string' ? args[1] : undefined;
  } else if (first !== null && typeof first === 'object' && first.fd === undefined && first.path === undefined
    && first.handle === undefined && first._handle === undefined && first.port !== undefined) {
    port = Number(first.port);
    host = typeof first.host === 'string' ? first.host : undefined;
  }
  return Number.isInteger(port) && port > 0 && port < 65536 ? { port, host } : null;
}

// Tells the daemon where the app listens: "<port> [<address>]" in the request file, written whole (a rename), a
// name resolved as node would (dns.lookup). The server is left unbound and the process waits for the daemon,
// which stops it and starts it again with the port's socket (it served nothing yet: it could not listen).
function requestPort(file, wanted) {
  const fs = require('fs');
  setInterval(() => {}, 1 << 30); // a server that never listens does not keep the process alive by itself
  const send = (address) => {
    try {
      fs.writeFileSync(file + '.tmp', wanted.port + (address ? ' ' + address : '') + '\n');
      fs.renameSync(file + '.tmp', file);
    } catch (e) { /* the daemon's notify directory is gone: the daemon is stopping this worker anyway */ }
  };
  if (!wanted.host || net.isIP(wanted.host)) send(wanted.host);
  else require('dns').lookup(wanted.host, (err, address) => send(err ? wanted.host : address));
}

// pm2's messages. zdm gives a worker no IPC channel, so process.send is undefined; for ready: message
// (pm2's wait_ready) it exists, and process.send('ready') creates ZDM_READY_FILE, which the daemon
// waits for (once: later sends only return true). Any node process of the worker's tree may send it
// (`npm start` runs the app in a child). With shutdown_with_message the stop signal becomes pm2's
// message instead: 'message' listeners get 'shutdown', and exiting is the app's business (kill_timeout,
// then SIGKILL, as pm2 does when the message is not acted on).
const readyFile = process.env.ZDM_READY_ON === 'listening' ? undefined : process.env.ZDM_READY_FILE;
if (readyFile) {
  const fs = require('fs');
  const original = typeof process.send === 'function' ? process.send.bind(process) : null;
  let told = false;
  process.send = function zdmSend(message, ...rest) {
    if (message === 'ready' && !told) {
      told = true;
      try { fs.writeFileSync(readyFile, ''); } catch (e) { /* the daemon's listen_timeout reports it */ }
    }
    if (original) return original(message, ...rest);
    const callback = rest.find((a) => typeof a === 'function');
    if (callback) process.nextTick(callback, null);
    return true;
  };
}
if (process.env.ZDM_SHUTDOWN_MESSAGE === '1') {
  process.on(process.env.ZDM_STOP_SIGNAL || 'SIGTERM', () => process.emit('message', 'shutdown'));
}
