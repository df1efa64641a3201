package zdm.config;

import java.util.List;

/** The outcome of loading a configuration: every app, or every problem. Immutable. */
public sealed interface LoadResult {

    /**
     * All apps validated; in file order. {@code metrics} is the file's top-level {@code metrics:}
     * (null when absent); {@code warnings} are one-line notes about options that were ignored (pm2 files);
     * {@code dashboard} is the file's top-level {@code dashboard:} block (null when absent).
     */
    record Loaded(List<AppSpec> apps, MetricsSetting metrics, List<String> warnings, DashboardSetting dashboard)
            implements LoadResult {
        public Loaded {
            apps = List.copyOf(apps);
            warnings = List.copyOf(warnings);
        }

        public Loaded(List<AppSpec> apps, MetricsSetting metrics, List<String> warnings) {
            this(apps, metrics, warnings, null);
        }

        public Loaded(List<AppSpec> apps) {
            this(apps, null, List.of());
        }
    }

    /** At least one problem; all of them, in file order. No app of the file should be used. */
    record Invalid(List<ConfigError> errors) implements LoadResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
