package zdm.it;

/** What one run of the real {@code zdm} command printed and returned. */
public record CliResult(int exitCode, String out, String err) {
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
