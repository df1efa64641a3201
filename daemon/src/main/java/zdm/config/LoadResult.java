package zdm.config;

import java.util.List;

/** The outcome of loading a configuration: every app, or every problem. Immutable. */
public sealed interface LoadResult {

    /** All apps validated; in file order. */
    record Loaded(List<AppSpec> apps) implements LoadResult {
        public Loaded {
            apps = List.copyOf(apps);
        }
    }

    /** At least one problem; all of them, in file order. No app of the file should be used. */
    record Invalid(List<ConfigError> errors) implements LoadResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
