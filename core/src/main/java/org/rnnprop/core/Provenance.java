package org.rnnprop.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * How a weight file was made. Every shipped file carries one, so its numbers can be reproduced.
 *
 * @param trained false for files that come straight from the specification's initialisation
 * @param recipe meta-training recipe name, or {@code "spec-initialisation"}
 * @param command the command line that produced the file
 * @param seed the random seed
 * @param iterations meta-training iterations (0 when untrained)
 * @param data the training data and its checksum, or {@code "none"}
 * @param codeVersion the version (git commit) of the code that produced the file
 * @param date ISO-8601 creation time
 * @param details anything else worth keeping (wall time, selection rule, validation result), sorted by key
 */
public record Provenance(
        boolean trained,
        String recipe,
        String command,
        long seed,
        long iterations,
        String data,
        String codeVersion,
        String date,
        Map<String, String> details) {

    /**
     * Key in {@link #details()}: the meta-training iterations of the run that the selection chose among, when
     * the file is a snapshot chosen from a longer run (e.g. the best by validation among those up to 1,300).
     */
    public static final String BUDGET = "budget";

    /** Requires every text field; copies {@code details} into an unmodifiable sorted map. */
    public Provenance {
        requireText("recipe", recipe);
        requireText("command", command);
        requireText("data", data);
        requireText("codeVersion", codeVersion);
        requireText("date", date);
        if (iterations < 0) {
            throw new IllegalArgumentException("provenance.iterations must be >= 0, got " + iterations);
        }
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details == null ? Map.of() : details));
    }

    /**
     * The meta-training budget: the iterations of the run that the selection chose among ({@link #BUDGET}),
     * or, for files that do not record one, {@link #iterations()}.
     *
     * @throws IllegalArgumentException if the recorded budget is not a whole number at least {@link #iterations()}
     */
    public long budget() {
        String b = details.get(BUDGET);
        if (b == null) {
            return iterations;
        }
        long v;
        try {
            v = Long.parseLong(b.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("provenance.details." + BUDGET + " is not a whole number: '" + b + "'");
        }
        if (v < iterations) {
            throw new IllegalArgumentException("provenance.details." + BUDGET + " (" + v
                    + ") is less than provenance.iterations (" + iterations + ")");
        }
        return v;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("provenance." + field + " is missing or empty");
        }
    }
}
