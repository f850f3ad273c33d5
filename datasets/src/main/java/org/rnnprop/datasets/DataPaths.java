package org.rnnprop.datasets;

import java.nio.file.Path;

/** Where cached data sets live: {@code $RNNPROP_DATA}, or {@code ~/.cache/rnnprop} when unset. */
final class DataPaths {

    /** Environment variable that overrides the data root. */
    static final String ENV = "RNNPROP_DATA";

    private DataPaths() {
    }

    static Path root() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "rnnprop");
    }
}
