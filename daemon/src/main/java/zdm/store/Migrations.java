package zdm.store;

import java.util.List;

/**
 * The schema's history. Entry i (0-based) upgrades a database from version i to version i + 1;
 * {@link Store} runs each entry in its own transaction together with the PRAGMA user_version bump.
 * Never edit a released entry: append a new one (version 2 is one more list element).
 */
final class Migrations {
    static final List<String> SCRIPTS = List.of(
            // Version 1. STRICT tables so a wrong type is an error, not a silent coercion.
            // apps.name is NOT NULL explicitly: SQLite allows NULL in a non-INTEGER primary key.
            """
            CREATE TABLE apps (
                name        TEXT    NOT NULL PRIMARY KEY,
                spec_json   TEXT    NOT NULL,
                desired     INTEGER NOT NULL CHECK (desired IN (0, 1)),
                source      TEXT,
                created_seq INTEGER NOT NULL,
                updated_at  INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE workers (
                app            TEXT    NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
                id             INTEGER NOT NULL,
                pid            INTEGER NOT NULL,
                start_time_ms  INTEGER NOT NULL,
                state          TEXT    NOT NULL,
                restarts       INTEGER NOT NULL,
                last_exit_code INTEGER,
                last_signal    TEXT,
                updated_at     INTEGER NOT NULL,
                PRIMARY KEY (app, id)
            ) STRICT;
            CREATE TABLE events (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                time_ms INTEGER NOT NULL,
                app     TEXT,
                worker  INTEGER,
                kind    TEXT    NOT NULL,
                detail  TEXT,
                uid     INTEGER
            ) STRICT;
            CREATE INDEX events_app_id ON events (app, id);
            """,
            // Version 2. During a rolling reload a slot runs a second process (the replacement being
            // started, or the old one draining); it is recorded too, so a daemon that crashes
            // mid-reload leaves nothing a successor could not find.
            """
            ALTER TABLE workers ADD COLUMN other_pid INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE workers ADD COLUMN other_start_time_ms INTEGER NOT NULL DEFAULT 0;
            """,
            // Version 3. The port a Node app without port: was seen to listen on (zdm's preload reports it), so its
            // next start binds it at once. Not tied to apps: it outlives a delete, as a port: in the file would.
            """
            CREATE TABLE learned_ports (
                app  TEXT    NOT NULL PRIMARY KEY,
                port INTEGER NOT NULL,
                host TEXT
            ) STRICT;
            """);

    private Migrations() {}

    static int latest() {
        return SCRIPTS.size();
    }
}
