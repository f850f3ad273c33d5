package org.rnnprop.examples.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the jshell notebooks under {@code examples/} share: the quick setting that keeps CI short, the folder
 * each notebook writes its plot to, and the quiet, offline start the frameworks need.
 *
 * <p>A notebook runs in full unless {@value #QUICK_ENV}{@code =1} is set in the environment (or the system
 * property {@value #QUICK_PROPERTY}{@code =true} in the JVM that runs the snippets); {@code scripts/test.sh}
 * sets it. The full setting is what the notebooks show and what the documentation quotes.
 */
public final class Notebook {
    /** Environment variable that selects the quick setting: {@code 1} or {@code true}. */
    public static final String QUICK_ENV = "RNNPROP_NOTEBOOK_QUICK";
    /** System property that selects the quick setting: {@code true}. */
    public static final String QUICK_PROPERTY = "rnnprop.notebook.quick";
    /** Environment variable naming the folder the notebooks write to; default {@value #DEFAULT_OUTPUT}. */
    public static final String OUTPUT_ENV = "RNNPROP_NOTEBOOK_OUT";
    /** Default output folder, relative to the working directory (the repository root for run-notebook.sh). */
    public static final String DEFAULT_OUTPUT = "notebook-output";

    private Notebook() {
    }

    /**
     * Prepares the JVM before either framework starts: no window system, no downloads, warnings only in the
     * logs, one PyTorch thread (each property only if not set already, e.g. by {@code JSHELL_OPTS=-R-D...}).
     * Call it first in a notebook.
     *
     * <p>One thread because the notebooks' tensors are small: PyTorch's worker threads wait for work by spinning,
     * and on a machine whose cores are busy that made each step several times slower (an MLP epoch of 4 steps
     * took 2.5 s with the default threads and 0.05 s with one, on this project's shared 2-core machine).
     */
    public static void setUp() {
        setIfAbsent("java.awt.headless", "true");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // DJL warns that it found no CUDA on CPU-only machines: expected here.
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Whether the quick setting is selected (see the class comment). */
    public static boolean quick() {
        return isQuick(System.getenv(QUICK_ENV), System.getProperty(QUICK_PROPERTY));
    }

    /**
     * The rule behind {@link #quick()}, for given values of the variable and the property (null when unset).
     *
     * @throws IllegalArgumentException for a value that is neither a yes nor a no, naming the variable
     */
    static boolean isQuick(String env, String property) {
        return parse(QUICK_ENV, env) || parse(QUICK_PROPERTY, property);
    }

    private static boolean parse(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be 1/true/yes or 0/false/no, got '" + value
                    + "'");
        };
    }

    /** {@code full} in the full setting, {@code quick} in the quick one. */
    public static int choose(int full, int quick) {
        return quick() ? quick : full;
    }

    /** "full" or "quick (CI)", for the notebooks' headers. */
    public static String settingName() {
        return quick() ? "quick (CI)" : "full";
    }

    /**
     * The folder a notebook writes to, {@code $RNNPROP_NOTEBOOK_OUT/NAME} (default
     * {@code notebook-output/NAME}), created if needed.
     */
    public static Path outputDirectory(String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("notebook name must be a plain folder name, got '" + name + "'");
        }
        String root = System.getenv(OUTPUT_ENV);
        Path dir = Path.of(root == null || root.isBlank() ? DEFAULT_OUTPUT : root).resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the notebook output folder " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** Seconds since {@code startNanos} (a {@link System#nanoTime()} value). */
    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
