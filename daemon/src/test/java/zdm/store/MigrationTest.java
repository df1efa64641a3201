package zdm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written by an older zdm opens, is upgraded in place, and keeps its rows. */
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void aVersionOneDatabaseIsUpgradedAndKeepsItsWorkers() throws Exception {
        var db = dir.resolve("zdm.db");
        // Freeze a version-1 file exactly as zdm 0.1.0 wrote it: schema 1 and one worker row.
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            for (var sql : Migrations.SCRIPTS.getFirst().split(";")) if (!sql.isBlank()) st.execute(sql);
            st.execute("PRAGMA user_version = 1");
            st.execute("INSERT INTO apps VALUES ('web', '" + SpecJson.write(Specs.app("web")).replace("'", "''")
                    + "', 1, 'eco.yaml', 1, 0)");
            st.execute("INSERT INTO workers VALUES ('web', 0, 4242, 1000, 'online', 2, NULL, NULL, 0)");
        }
        try (var store = Store.open(db)) {
            assertEquals(Migrations.latest(), store.schemaVersion());
            assertEquals(List.of(new WorkerRecord("web", 0, 4242, 1000, "online", 2, null, null, 0, 0)), store.workers());
            assertEquals("web", store.apps().getFirst().spec().name());
            // The new columns work.
            store.putWorker(new WorkerRecord("web", 0, 4243, 2000, "online", 2, null, null, 4242, 1000));
            assertEquals(4242, store.workers().getFirst().otherPid());
        }
    }
}
