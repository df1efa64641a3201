package zdm.client;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.security.Provider;
import java.security.SecureRandomParameters;
import java.security.SecureRandomSpi;
import sun.security.jca.ProviderList;
import sun.security.jca.Providers;

/**
 * Opens the client's Unix socket without the JDK's security providers. The first Unix socket of a
 * JVM initialises sun.nio.ch.UnixDomainSockets, which asks for a {@code NativePRNGNonBlocking}
 * SecureRandom (to name the sockets it binds automatically, which the client never does), and that
 * loads the SUN provider: ~12 ms of the fast client's CPU. For that one call, this thread's provider
 * list (sun.security.jca, exported to it by {@code --add-exports java.base/sun.security.jca=ALL-UNNAMED}
 * in launch.conf's client_flags) holds a provider of that algorithm alone, reading /dev/urandom.
 *
 * <p>Compiled apart (cli/pom.xml, src/main/jdk-internals): javac refuses {@code --add-exports}
 * with {@code --release}. Without the export, or on a JDK whose internals differ, the caller
 * ({@link FastClient}) opens the socket the ordinary way.
 */
final class ThreadProviders {
    private ThreadProviders() {}

    static SocketChannel openUnix() throws IOException {
        ProviderList saved = Providers.beginThreadProviderList(ProviderList.newList(new Urandom()));
        try {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        } finally {
            Providers.endThreadProviderList(saved);
        }
    }

    /** A provider of {@code SecureRandom.NativePRNGNonBlocking} only. */
    private static final class Urandom extends Provider {
        Urandom() {
            super("zdm-client", "1", "NativePRNGNonBlocking from /dev/urandom, for the fast client's socket");
            putService(new Service(this, "SecureRandom", "NativePRNGNonBlocking", Random.class.getName(), null, null));
        }
    }

    /** Bytes from /dev/urandom, as the SUN provider's NativePRNGNonBlocking gives. */
    public static final class Random extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        /** What the JDK calls (a provider's SecureRandom is looked up with parameters first), as SUN's NativePRNG takes it. */
        public Random(SecureRandomParameters params) {
            if (params != null) throw new IllegalArgumentException("Unsupported params: " + params.getClass());
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // /dev/urandom needs none; SUN's NativePRNG would mix it in
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try (var in = new FileInputStream("/dev/urandom")) {
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) throw new IOException("/dev/urandom ended");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int n) {
            byte[] seed = new byte[n];
            engineNextBytes(seed);
            return seed;
        }
    }
}
