package zdm.store;

import zdm.config.AppSpec;

/** One registered app as the store keeps it: its resolved spec and whether the user wants it running. */
public record StoredApp(AppSpec spec, boolean desiredRunning) {}
