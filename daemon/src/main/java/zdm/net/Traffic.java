package zdm.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one app's public port has carried: connections accepted and bytes read from clients ("in")
 * and from workers on their behalf ("out"). LongAdders, so counting on the data path costs no lock
 * and almost no contention. Outlives listeners: an app keeps one across stops and reloads.
 * Thread-safe.
 */
public final class Traffic {
    final LongAdder connections = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    public long connections() { return connections.sum(); }

    public long bytesIn() { return bytesIn.sum(); }

    public long bytesOut() { return bytesOut.sum(); }
}
