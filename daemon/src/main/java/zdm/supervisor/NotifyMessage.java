package zdm.supervisor;

/**
 * One sd_notify datagram, as far as zdm acts on it: newline-separated {@code KEY=VALUE} lines
 * (systemd's format). Lines zdm does not act on ({@code MAINPID=}, {@code ERRNO=},
 * {@code FDSTORE=1}, {@code EXTEND_TIMEOUT_USEC=}, anything unknown or malformed) are ignored
 * without error, as systemd ignores what it does not know.
 *
 * @param ready            {@code READY=1}
 * @param stopping         {@code STOPPING=1}: the worker began its own graceful stop
 * @param reloading        {@code RELOADING=1}: recorded as an event; zdm reloads by replacing workers
 * @param watchdog         {@code WATCHDOG=1}: a liveness heartbeat
 * @param watchdogTrigger  {@code WATCHDOG=trigger}: the worker asks to be treated as hung at once
 * @param status           the last {@code STATUS=} text in the datagram (control characters
 *                         replaced, at most {@link #MAX_STATUS} characters), or null
 */
record NotifyMessage(boolean ready, boolean stopping, boolean reloading, boolean watchdog, boolean watchdogTrigger,
                     String status) {
    static final int MAX_STATUS = 200;

    static NotifyMessage parse(String text) {
        boolean ready = false, stopping = false, reloading = false, watchdog = false, trigger = false;
        String status = null;
        for (String line : text.split("\n", -1)) {
            switch (line) {
                case "READY=1" -> ready = true;
                case "STOPPING=1" -> stopping = true;
                case "RELOADING=1" -> reloading = true;
                case "WATCHDOG=1" -> watchdog = true;
                case "WATCHDOG=trigger" -> trigger = true;
                default -> {
                    if (line.startsWith("STATUS=")) status = clean(line.substring("STATUS=".length()));
                }
            }
        }
        return new NotifyMessage(ready, stopping, reloading, watchdog, trigger, status);
    }

    /** A status is shown in a terminal table and in events: no control characters, bounded. */
    private static String clean(String s) {
        var b = new StringBuilder(Math.min(s.length(), MAX_STATUS));
        s.codePoints().limit(MAX_STATUS).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }
}
