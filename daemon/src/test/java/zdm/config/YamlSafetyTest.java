package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files that are not YAML, not readable, too big or hostile: one clear error, quickly. */
class YamlSafetyTest extends EcoDirTest {
    @Test
    void syntaxErrorHasPositionAndShortMessage() {
        eco.yaml("apps:", "  - name: web", "   script: app.js");
        assertEquals(List.of("eco:3:4: YAML syntax error: expected <block end>, but found '<block mapping start>'"),
                eco.errors());
        eco.yaml("apps:", "  - name: web", "    script: [a, b", "    port: 3");
        assertEquals(List.of("eco:4:9: YAML syntax error: expected ',' or ']', but got :"), eco.errors());
    }

    @Test
    void tabIndentationIsASyntaxError() {
        eco.yaml("apps:", "\t- name: web");
        assertEquals(List.of("eco:2:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation)"), eco.errors());
    }

    @Test
    void aliasBombIsRejectedQuickly() {
        // The classic "billion laughs": 9^9 strings if expanded.
        var lines = new ArrayList<String>(List.of("apps:", "  - name: x",
                "    k1: &a1 [" + String.join(", ", java.util.Collections.nCopies(9, "x")) + "]"));
        for (int i = 2; i <= 9; i++) {
            String prev = "*a" + (i - 1);
            lines.add("    k" + i + ": &a" + i + " [" + String.join(", ", java.util.Collections.nCopies(9, prev)) + "]");
        }
        eco.yaml(lines.toArray(String[]::new));
        var errors = assertTimeoutPreemptively(Duration.ofSeconds(5), eco::errors);
        // k2 and k3 use 18 aliases; the third one of k4 is the 21st.
        assertEquals(List.of("eco:6:24: more than 20 YAML aliases; refusing (alias bomb?)"), errors);
    }

    @Test
    void aliasesOfMappingsAndListsWork() {
        eco.yaml("apps:", "  - name: a", "    command: &cmd [sleep, '1']", "    env: &env {A: '1'}",
                "  - {name: b, command: *cmd, env: *env}");
        var apps = eco.apps();
        assertEquals(apps.get(0).process().command(), apps.get(1).process().command());
        assertEquals(apps.get(0).process().env(), apps.get(1).process().env());
    }

    @Test
    void aliasOfAScalarIsReportedClearly() {
        eco.yaml("apps:", "  - name: &n web", "    command: x", "  - name: *n", "    command: x");
        assertEquals(List.of("eco:4:11: unknown YAML alias *n (anchors work on mappings and lists; Jackson does not"
                + " report anchors of single values)"), eco.errors());
    }

    @Test
    void deepNestingIsRejected() {
        eco.yaml("apps: " + "[".repeat(1000) + "]".repeat(1000));
        assertEquals(List.of("eco:1:39: nested deeper than 32 levels"), eco.errors());
    }

    @Test
    void deepNestingOfMappingsIsRejected() {
        // Block mappings, the shape a generated file would have: 200 levels of "k:" each indented once more.
        var lines = new ArrayList<String>(List.of("apps:", "  - name: x", "    env:"));
        for (int i = 0; i < 200; i++) lines.add(" ".repeat(6 + i) + "k:");
        eco.yaml(lines.toArray(String[]::new));
        var errors = assertTimeoutPreemptively(Duration.ofSeconds(5), eco::errors);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().endsWith("nested deeper than 32 levels"), errors.toString());
    }

    @Test
    void unknownAliasIsAnError() {
        eco.yaml("apps:", "  - name: *nope");
        assertEquals(List.of("eco:2:11: unknown YAML alias *nope (anchors work on mappings and lists; Jackson does not"
                + " report anchors of single values)"), eco.errors());
    }

    @Test
    void fileOver1MiBIsRefusedBeforeParsing() throws Exception {
        // Not even valid YAML: proves the size check comes before parsing.
        Files.writeString(eco.file, "[".repeat(2 << 20));
        assertEquals(List.of("eco: file is too large (2097152 bytes); an ecosystem file may be at most 1 MiB"),
                eco.errors());
    }

    @Test
    void fileOfExactly1MiBIsParsed() throws Exception {
        String head = "apps:\n  - name: web\n    command: sleep 1\n";
        Files.writeString(eco.file, head + "#".repeat((1 << 20) - head.length()));
        assertEquals("web", eco.app().name());
    }

    @Test
    void nonUtf8ByteIsReportedWhereItIs() throws Exception {
        Files.write(eco.file, "apps:\n  - name: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(List.of("eco:2:14: not valid UTF-8 (byte 0xe9); save the file as UTF-8"), eco.errors());
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() {
        eco.yaml("\uFEFFapps:", "  - {name: web, command: x}");
        assertEquals("web", eco.app().name());
    }

    @Test
    void binaryValuesAreRejected() {
        eco.yaml("apps:", "  - name: !!binary aGVsbG8=");
        assertEquals(List.of("eco:2:11: unsupported YAML value (binary or custom tag); write a plain string"),
                eco.errors());
    }

    @Test
    void missingFile() {
        assertEquals(List.of("eco: file not found"), eco.errors());
    }

    @Test
    void directoryInsteadOfFile() {
        assertEquals(List.of(tmp + ": is a directory; expected an ecosystem YAML file"),
                ((LoadResult.Invalid) EcosystemLoader.loadFile(tmp)).errors().stream().map(ConfigError::format).toList());
    }

    @Test
    @org.junit.jupiter.api.Tag("non-root")
    void unreadableFile() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root can read any file");
        eco.yaml("apps: []");
        Files.setPosixFilePermissions(eco.file, PosixFilePermissions.fromString("-w-------"));
        assertEquals(List.of("eco: cannot read the file: permission denied"), eco.errors());
    }

    @Test
    void errorWithoutPositionHasLineZero() {
        var error = ((LoadResult.Invalid) eco.load()).errors().getFirst();
        assertEquals(List.of(0, 0, ""), List.of(error.line(), error.column(), error.path()));
    }

    @Test
    void emptyFile() {
        eco.yaml("# nothing here");
        assertEquals(List.of("eco:1:1: the file is empty; expected a mapping with an apps: list"), eco.errors());
    }

    @Test
    void onlyOneDocument() {
        eco.yaml("apps: [{name: a, command: x}]", "---", "apps: []");
        assertEquals(List.of("eco:3:1: more than one YAML document ('---'); put all apps in one document"),
                eco.errors());
    }

    @Test
    void duplicateKeysAreRejected() {
        eco.yaml("apps:", "  - name: a", "    command: x", "    name: b");
        assertEquals(List.of("eco:4:5: duplicate key \"name\" (first at line 2)"), eco.errors());
    }
}
