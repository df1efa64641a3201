package zdm.config;

import java.math.BigInteger;
import java.util.regex.Pattern;
import zdm.config.Node.Scalar;
import zdm.config.Problems.At;

/**
 * How each numeric value of an app is read and checked (see {@link AppKey}): counts, ports, durations and sizes.
 * A number may come as a YAML number or as a string of digits (the command line passes strings), and a duration or
 * size also with its unit ({@link Durations}, {@link Sizes}). Each reader returns the value, or reports the problem
 * and returns null. Stateless.
 */
final class NumberReaders {
    static final int MAX_INSTANCES = 1024;
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

    private NumberReaders() {}

    static Integer instances(Node node, At at) {
        if (node instanceof Scalar s && "max".equals(s.value())) return Runtime.getRuntime().availableProcessors();
        BigInteger n = integer(node);
        if (n != null && n.intValue() == -1 && n.bitLength() < 32) return Runtime.getRuntime().availableProcessors();
        if (n != null && n.signum() == 0) {
            return at.fail(node, "0 workers is not allowed; use a positive integer, or \"max\" (or -1) for one per CPU");
        }
        if (n != null && n.signum() > 0 && n.compareTo(BigInteger.valueOf(MAX_INSTANCES)) > 0) {
            return at.fail(node, "at most " + MAX_INSTANCES + " workers, got " + n);
        }
        if (n != null && n.signum() > 0) return n.intValue();
        return at.fail(node, "expected a positive integer or \"max\", got " + Node.describe(node));
    }

    static Integer port(Node node, At at) {
        BigInteger n = integer(node);
        if (n != null && n.signum() > 0 && n.compareTo(BigInteger.valueOf(65_535)) <= 0) return n.intValue();
        return at.fail(node, "expected a port number from 1 to 65535, got " + Node.describe(node));
    }

    static Integer nonNegativeInt(Node node, At at) {
        BigInteger n = integer(node);
        if (n != null && n.signum() >= 0 && n.bitLength() < 32) return n.intValue();
        return at.fail(node, "expected an integer from 0 to " + Integer.MAX_VALUE + ", got " + Node.describe(node));
    }

    /** An integer of at least 1 (counts such as reload_parallel). */
    static Integer positiveInt(Node node, At at) {
        BigInteger n = integer(node);
        if (n != null && n.signum() > 0 && n.bitLength() < 32) return n.intValue();
        return at.fail(node, "expected an integer from 1 to " + Integer.MAX_VALUE + ", got " + Node.describe(node));
    }

    static Integer socketFd(Node node, At at) {
        BigInteger n = integer(node);
        if (n != null && (n.intValue() == 3 || n.intValue() == 0) && n.bitLength() < 8) return n.intValue();
        return at.fail(node, "expected 3 (LISTEN_FDS, systemd socket activation) or 0 (stdin, for Java's"
                + " System.inheritedChannel()), got " + Node.describe(node));
    }

    /** A duration in ms, at most {@code maxMs}. */
    static AppKey.Reader duration(long maxMs) {
        return duration(0, maxMs);
    }

    /** A duration in ms, from {@code minMs} to {@code maxMs}. */
    static AppKey.Reader duration(long minMs, long maxMs) {
        return (node, at) -> {
            Long ms = null;
            if (node instanceof Scalar s && s.value() instanceof String str) {
                var parsed = Durations.parseMillis(str);
                if (parsed.isPresent()) ms = parsed.getAsLong();
            } else {
                BigInteger n = integer(node);
                if (n != null && n.signum() >= 0 && n.bitLength() < 63) ms = n.longValue();
            }
            if (ms == null) return at.fail(node, "expected " + Durations.ACCEPTED + ", got " + Node.describe(node));
            if (ms > maxMs) return at.fail(node, "must be at most " + Durations.format(maxMs) + ", got " + Node.describe(node));
            if (ms < minMs) return at.fail(node, "must be at least " + Durations.format(minMs) + ", got " + Node.describe(node));
            return ms;
        };
    }

    static Long size(Node node, At at) {
        if (node instanceof Scalar s && s.value() instanceof String str) {
            var parsed = Sizes.parseBytes(str);
            if (parsed.isPresent()) return parsed.getAsLong();
        } else {
            BigInteger n = integer(node);
            if (n != null && n.signum() >= 0 && n.bitLength() < 63) return n.longValue();
        }
        return at.fail(node, "expected " + Sizes.ACCEPTED + ", got " + Node.describe(node));
    }

    /** An integral YAML number, or a string of digits (the command line passes strings); else null. */
    private static BigInteger integer(Node node) {
        if (!(node instanceof Scalar s)) return null;
        return switch (s.value()) {
            case Long l -> BigInteger.valueOf(l);
            case Integer i -> BigInteger.valueOf(i);
            case Short i -> BigInteger.valueOf(i);
            case BigInteger b -> b;
            case String str when INTEGER.matcher(str.strip()).matches() -> new BigInteger(str.strip());
            case null, default -> null;
        };
    }
}
