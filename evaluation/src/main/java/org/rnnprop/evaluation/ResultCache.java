package org.rnnprop.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rnnprop.core.AtomicFiles;

/**
 * The finished runs of one test, one CSV file per test, so a stopped suite resumes where it was. The file is
 * rewritten whole after each batch of results through {@link AtomicFiles}: a kill at any moment leaves either
 * the old or the new file, never a torn one. Thread-safe.
 *
 * <p>The first line, {@code # version=<hex>}, identifies what produced the rows: the suite's version and the
 * test's definition ({@code Suite.cacheVersion}). A file with another version (or none) was written by other
 * code or for another test, so its rows are dropped and run again rather than silently mixed with new ones.
 *
 * <p>Columns: {@code contender,seed,steps,final_loss,seconds,window,curve,test_accuracy}; the curve is the
 * training loss averaged over consecutive windows of {@code window} steps, space-separated (empty for tuning
 * runs); the test accuracy is NaN where the test measures none. Rows of files written before that column
 * existed (7 fields) are read with a NaN test accuracy.
 */
public final class ResultCache {
    static final String HEADER = "contender,seed,steps,final_loss,seconds,window,curve,test_accuracy";
    static final String VERSION_PREFIX = "# version=";

    /**
     * One finished run.
     *
     * @param contender {@link Contender#key()}
     * @param seed the run's seed
     * @param steps optimizee steps
     * @param finalLoss the specification's final-loss metric (NaN if the optimizer diverged)
     * @param seconds wall time of the run (its share of a lockstep group)
     * @param window steps per curve point
     * @param curve the windowed training-loss curve, or an empty array
     * @param testAccuracy the final parameters' accuracy on the test set, or NaN
     */
    public record Entry(String contender, long seed, int steps, double finalLoss, double seconds, int window,
            float[] curve, double testAccuracy) {
        /** A run without a test accuracy. */
        public Entry(String contender, long seed, int steps, double finalLoss, double seconds, int window,
                float[] curve) {
            this(contender, seed, steps, finalLoss, seconds, window, curve, Double.NaN);
        }
    }

    private final Path file;
    private final String version;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private String staleVersion;
    private int staleRows;

    private ResultCache(Path file, String version) {
        this.file = file;
        this.version = version;
    }

    /**
     * Opens (and reads, if it exists) the cache file. Rows it cannot parse are dropped; so are all its rows if
     * the file's version line is not {@code version} (see {@link #staleRows()}).
     *
     * @param version what the rows must have been computed by: a hash of the suite version and the test
     */
    public static ResultCache open(Path file, String version) throws IOException {
        if (version.isBlank() || version.contains("\n")) {
            throw new IllegalArgumentException("bad cache version '" + version + "'");
        }
        ResultCache c = new ResultCache(file, version);
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String found = !lines.isEmpty() && lines.get(0).startsWith(VERSION_PREFIX)
                    ? lines.get(0).substring(VERSION_PREFIX.length()).strip() : "none";
            if (!found.equals(version)) {
                c.staleVersion = found;
                c.staleRows = (int) lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")
                        && !l.startsWith("contender,")).count();
                return c;
            }
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("contender,")) {
                    continue;
                }
                try {
                    Entry e = parse(line);
                    c.entries.put(key(e.contender(), e.seed(), e.steps()), e);
                } catch (RuntimeException bad) {
                    // a row from a different format version: it is simply run again
                }
            }
        }
        return c;
    }

    /** The file this cache lives in. */
    public Path file() {
        return file;
    }

    /** Rows of the file that were dropped because it had another version (0 if none). */
    public int staleRows() {
        return staleRows;
    }

    /** The version line of a file whose rows were dropped ({@code "none"} if it had none), or null. */
    public String staleVersion() {
        return staleVersion;
    }

    /** The run of {@code contender} with {@code seed} and {@code steps}, if finished. */
    public synchronized Optional<Entry> get(String contender, long seed, int steps) {
        return Optional.ofNullable(entries.get(key(contender, seed, steps)));
    }

    /** Every finished run. */
    public synchronized Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Records finished runs and rewrites the file atomically. */
    public synchronized void putAll(List<Entry> finished) {
        for (Entry e : finished) {
            entries.put(key(e.contender(), e.seed(), e.steps()), e);
        }
        try {
            AtomicFiles.write(file, out -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                w.write(VERSION_PREFIX + version);
                w.newLine();
                w.write(HEADER);
                w.newLine();
                for (Entry e : entries.values()) {
                    w.write(format(e));
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the result cache " + file, ex);
        }
    }

    private static String key(String contender, long seed, int steps) {
        return contender + "|" + seed + "|" + steps;
    }

    static String format(Entry e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.contender()).append(',').append(e.seed()).append(',').append(e.steps()).append(',')
                .append(e.finalLoss()).append(',').append(e.seconds()).append(',').append(e.window()).append(',');
        for (int i = 0; i < e.curve().length; i++) {
            sb.append(i == 0 ? "" : " ").append(e.curve()[i]);
        }
        return sb.append(',').append(e.testAccuracy()).toString();
    }

    static Entry parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 7 && f.length != 8) {
            throw new IllegalArgumentException("expected 8 fields (7 before the test accuracy), got " + f.length);
        }
        List<Float> curve = new ArrayList<>();
        for (String v : f[6].isBlank() ? new String[0] : f[6].split(" ")) {
            curve.add(Float.parseFloat(v));
        }
        float[] c = new float[curve.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = curve.get(i);
        }
        return new Entry(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Integer.parseInt(f[5]), c,
                f.length == 8 ? Double.parseDouble(f[7]) : Double.NaN);
    }
}
