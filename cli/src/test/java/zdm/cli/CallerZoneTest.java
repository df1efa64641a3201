package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client's cheap zone name, made a zone by the daemon, is the zone the client's JVM itself has:
 * checked against real JVMs started with different {@code TZ} values (the JDK is the reference).
 */
class CallerZoneTest {
    /** A child JVM: prints its zone name for the daemon, then its own default zone. */
    public static void main(String[] args) {
        System.out.println(CallerZone.name());
        System.out.println(ZoneId.systemDefault().getId());
    }

    private static List<String> child(String tz) throws Exception {
        var pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), CallerZoneTest.class.getName());
        if (tz == null) pb.environment().remove("TZ");
        else pb.environment().put("TZ", tz);
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start(); // the JDK warns of "EST" there
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    @Test
    void theDaemonMakesTheZoneTheClientsJvmHas() throws Exception {
        for (String tz : new String[] {null, "Asia/Kolkata", ":Asia/Tokyo", "posix/Europe/Paris", "EST", "UTC"}) {
            List<String> lines = child(tz);
            assertEquals(ZoneId.of(lines.get(1)), CallerZone.of(lines.get(0)), "TZ=" + tz + ": " + lines);
        }
    }

    /** A POSIX rule is no name the database knows: the JDK asks the C library, so the client must compute it. */
    @Test
    void aZoneTheDatabaseDoesNotKnowIsLeftToTheClient() throws Exception {
        List<String> lines = child("CET-1CEST");
        assertNull(CallerZone.of(lines.get(0)), lines.toString());
        assertNull(CallerZone.of("UTC+3")); // POSIX: three hours behind, not ahead
    }

    @Test
    void namesAndComputedZones() {
        assertEquals(ZoneId.of("Asia/Kolkata"), CallerZone.of("Asia/Kolkata"));
        assertEquals(TimeZone.getTimeZone("EST").toZoneId(), CallerZone.of("EST"));
        assertEquals(ZoneOffset.ofHoursMinutes(5, 30), CallerZone.of("=+05:30"));
        assertEquals(ZoneId.systemDefault(), CallerZone.of(CallerZone.name()));
    }
}
