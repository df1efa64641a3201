package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** listen: proxy|socket, its default, its readiness default and the rules it adds. */
class ListenConfigTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    /** One app "web" running app.js, plus the given lines (line 4 onwards). */
    private EcoDir with(String... extraLines) {
        var lines = new java.util.ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        lines.addAll(List.of(extraLines));
        return eco.yaml(lines.toArray(String[]::new));
    }

    @Test
    void autoIsTheDefaultSocketForANodeAppAndTheProxyForTheRest() {
        var app = with("    port: 3000").app();
        assertEquals(List.of(Listen.SOCKET, true, new Readiness.Listening()), List.of(app.network().listen(), app.network().socketMode(), app.health().ready()));
        eco.script("app.py");
        var python = eco.yaml("apps:", "  - name: py", "    script: app.py", "    port: 3000").app();
        assertEquals(List.of(Listen.PROXY, false, new Readiness.Tcp()), List.of(python.network().listen(), python.network().socketMode(), python.health().ready()));
        var pinned = with("    port: 3000", "    listen: proxy").app();
        assertEquals(List.of(Listen.PROXY, new Readiness.Tcp()), List.of(pinned.network().listen(), pinned.health().ready()));
    }

    /** liveness_interval: 0 is no probe, so nothing asks for the proxy. */
    @Test
    void aLivenessIntervalOfZeroKeepsANodeAppInSocketMode() {
        assertEquals(Listen.SOCKET, with("    port: 3000", "    liveness_interval: 0").app().network().listen());
    }

    @Test
    void socketModeWaitsOneSecondUnlessToldOtherwise() {
        var app = with("    port: 3000", "    listen: socket").app();
        assertEquals(List.of(Listen.SOCKET, true, new Readiness.Delay(1_000)), List.of(app.network().listen(), app.network().socketMode(), app.health().ready()));
        assertEquals(new Readiness.Notify(), with("    port: 3000", "    listen: socket", "    ready: notify").app().health().ready());
        assertEquals(new Readiness.Log("up"), with("    port: 3000", "    listen: socket", "    ready: {log: up}").app().health().ready());
    }

    @Test
    void aSpecStoredBeforeListenExistedIsProxyMode() {
        var old = AppSpec.builder("web", List.of("x")).port(3000).source("eco").build();
        assertEquals(Listen.PROXY, old.network().listen());
        assertEquals(new Readiness.Tcp(), old.health().ready());
    }

    @Test
    void socketNeedsAPort() {
        assertEquals(List.of("eco:4:13: apps[0].listen: listen: socket needs a port (the socket the workers share);"
                + " set port: or use listen: proxy"), with("    listen: socket").errors());
    }

    @Test
    void aCommandLineAppIsCheckedTheSameWay() {
        var errors = org.junit.jupiter.api.Assertions.assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadInline(
                java.util.Map.of("name", "w", "command", "sleep 5", "listen", "socket"), tmp)).errors();
        assertEquals(List.of("<command line>: listen: listen: socket needs a port (the socket the workers share);"
                + " set port: or use listen: proxy"), errors.stream().map(ConfigError::format).toList());
        var ok = org.junit.jupiter.api.Assertions.assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadInline(
                java.util.Map.of("name", "w", "command", "sleep 5", "listen", "socket", "port", 3000), tmp));
        assertEquals(Listen.SOCKET, ok.apps().getFirst().network().listen());
    }

    /** listen: auto is pm2's cluster mode for Node apps (workers share the socket) and the proxy for the rest. */
    @Test
    void autoIsSocketForANodeAppWithAPortAndTheProxyOtherwise() {
        var node = with("    port: 3000", "    listen: auto").app();
        assertEquals(List.of(Listen.SOCKET, true, new Readiness.Listening()), List.of(node.network().listen(), node.network().socketMode(), node.health().ready()),
                "ready at its listening event, which the preload reports");
        var told = with("    port: 3000", "    listen: auto", "    ready: notify").app();
        assertEquals(List.of(Listen.SOCKET, new Readiness.Notify()), List.of(told.network().listen(), told.health().ready()));
        eco.script("app.py");
        var python = eco.yaml("apps:", "  - name: py", "    script: app.py", "    port: 3000", "    listen: auto").app();
        assertEquals(List.of(Listen.PROXY, new Readiness.Tcp()), List.of(python.network().listen(), python.health().ready()));
        var npm = eco.yaml("apps:", "  - name: web", "    command: npm start", "    port: 3000", "    listen: auto").app();
        assertEquals(Listen.PROXY, npm.network().listen(), "node through npm: the preload would not be told the socket is its own");
        assertEquals(List.of(Listen.SOCKET, true), List.of(with("    listen: auto").app().network().listen(), with("    listen: auto").app().network().learnsPort()),
                "no port: the preload learns the one the app listens on");
        for (String proxyOnly : List.of("protocol: http", "ready: tcp", "ready: {http: /health}", "liveness_interval: 5s",
                "head_timeout: 10s", "max_connections: 100")) {
            assertEquals(Listen.PROXY, with("    port: 3000", "    listen: auto", "    " + proxyOnly).app().network().listen(), proxyOnly);
        }
    }

    /** pm2's cluster habit: a Node app without port: and listen: learns the port its own listen() asks for. */
    @Test
    void aNodeAppWithoutPortLearnsItsPortAndEverythingElseWithoutPortIsLeftAlone() {
        var node = with("    instances: 2").app();
        assertEquals(List.of(Listen.SOCKET, true, new Readiness.Listening()), List.of(node.network().listen(), node.network().learnsPort(), node.health().ready()));
        assertEquals(List.of(), with("    instances: 2").warnings(), "no shared-port warning: the port is shared");
        assertEquals(new Readiness.Message(), with("    wait_ready: true").app().health().ready(), "pm2's wait_ready still decides");
        assertEquals(500, with("    listen_timeout: 500ms").app().health().listenTimeoutMs(), "no ready: delay to outlast");
        assertEquals(List.of(Listen.SOCKET, false), List.of(with("    port: 3000").app().network().listen(), with("    port: 3000").app().network().learnsPort()));
        eco.script("app.py");
        var python = eco.yaml("apps:", "  - name: py", "    script: app.py", "    instances: 2");
        assertEquals(List.of(Listen.PROXY, false, new Readiness.Uptime()),
                List.of(python.app().network().listen(), python.app().network().learnsPort(), python.app().health().ready()));
        assertEquals(1, python.warnings().size(), python.warnings().toString());
        assertEquals(true, python.warnings().getFirst().contains("2 workers and no port; if the app listens on a port, set port:"),
                python.warnings().toString());
        assertEquals(Listen.PROXY, eco.yaml("apps:", "  - name: web", "    command: npm start").app().network().listen(), "node through npm");
        assertEquals(List.of("eco:4:13: apps[0].listen: listen: socket needs a port (the socket the workers share);"
                + " set port: or use listen: proxy"), with("    listen: socket").errors(), "written socket: still a port");
    }

    @Test
    void anUnknownModeIsNamedWithASuggestion() {
        assertEquals(List.of("eco:5:13: apps[0].listen: expected proxy (the daemon accepts and forwards), socket"
                + " (workers accept on an inherited socket) or auto (socket for a Node app, else proxy), got \"sockets\";"
                + " did you mean \"socket\"?"),
                with("    port: 3000", "    listen: sockets").errors());
    }

    @Test
    void protocolIsProxyOnly() {
        assertEquals(List.of("eco:6:15: apps[0].protocol: protocol is only for listen: proxy (the daemon does not read"
                + " the traffic in socket mode); remove protocol:"),
                with("    port: 3000", "    listen: socket", "    protocol: http").errors());
    }

    @Test
    void probesOfAPrivatePortAreRefusedInSocketMode() {
        assertEquals(List.of("eco:6:12: apps[0].ready: ready: tcp probes a worker's private port, which listen: socket"
                + " does not have; use ready: notify, {log: regex} or {delay: 2s}"),
                with("    port: 3000", "    listen: socket", "    ready: tcp").errors());
        assertEquals(List.of("eco:6:12: apps[0].ready: ready: http probes a worker's private port, which listen: socket"
                + " does not have; use ready: notify, {log: regex} or {delay: 2s}"),
                with("    port: 3000", "    listen: socket", "    ready: {http: /health}").errors());
    }

    @Test
    void theDefaultDelayMustFitTheListenTimeout() {
        assertEquals(List.of("eco:6:21: apps[0].listen_timeout: must be longer than the ready: delay (1s), or no"
                + " worker could ever be ready in time"),
                with("    port: 3000", "    listen: socket", "    listen_timeout: 500ms").errors());
    }

    @Test
    void socketFdIsThreeOrZeroAndOnlyForSocketMode() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket}");
        assertEquals(3, eco.app().network().socketFd());
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, socket_fd: 0}");
        assertEquals(0, eco.app().network().socketFd());
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, socket_fd: 4}");
        assertEquals(true, eco.errors().getFirst().contains("socket_fd: expected 3 (LISTEN_FDS, systemd socket activation)"
                + " or 0 (stdin, for Java's System.inheritedChannel())"), eco.errors().toString());
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, socket_fd: 0}");
        assertEquals(true, eco.errors().getFirst().contains("socket_fd: is for listen: socket"), eco.errors().toString());
    }
}
