package org.rnnprop.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import org.rnnprop.core.FileFormatException;
import org.rnnprop.core.internal.AtomicFiles;

/**
 * The finished runs of one test, one CSV file per test, so a stopped suite resumes where it was. The file is
 * rewritten whole after each batch of results through {@link AtomicFiles}: a kill at any moment leaves either
 * the old or the new file, never a torn one. Thread-safe.
 *
 * <p>The first line, {@code # version=<hex>}, identifies what produced the rows: the suite's version and the
 * test's definition ({@code Suite.cacheVersion}). A file with another version (or none) was written by other
 * code or for another test, so its rows are dropped and run again rather than silently mixed with new ones.
 *
 * <p>Columns: {@code contender,seed,steps,final_loss,seconds,window,curve,test_accuracy,crc32}; the curve is the
 * training loss averaged over consecutive windows of {@code window} steps, space-separated (empty for tuning
 * runs); the test accuracy is NaN where the test measures none; {@code crc32} is the CRC-32 (8 hex digits) of
 * the row's UTF-8 bytes before its last comma. A row that is not
 * UTF-8, does not parse, fails its CRC or is inconsistent (a curve of the wrong length for its steps and window,
 * negative time) is damaged: it is dropped, counted in {@link #damage()} for a warning, and run again. Files
 * written before the CRC and test-accuracy columns ({@link #LEGACY_HEADER}) are read without them (a NaN test
 * accuracy); the next write adds them.
 */
public final class ResultCache {
    static final String HEADER = "contender,seed,steps,final_loss,seconds,window,curve,test_accuracy,crc32";
    /** The columns before rows carried a test accuracy and a CRC. */
    static final String LEGACY_HEADER = "contender,seed,steps,final_loss,seconds,window,curve";
    static final String VERSION_PREFIX = "# version=";
    /** Damaged rows described in {@link #damage()}; the others are counted only. */
    private static final int DESCRIBED = 5;

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
        /** A run of a test that measures no test accuracy. */
        public Entry(String contender, long seed, int steps, double finalLoss, double seconds, int window,
                float[] curve) {
            this(contender, seed, steps, finalLoss, seconds, window, curve, Double.NaN);
        }
    }

    /**
     * Rows of a cache file that were dropped as damaged.
     *
     * @param rows how many
     * @param examples the first few, each as {@code line N: what is wrong}
     */
    public record Damage(int rows, List<String> examples) {
        /** One line for a warning, naming the file. */
        public String describe(Path file) {
            return rows + " damaged row" + (rows == 1 ? "" : "s") + " of " + file + " dropped, to be run again ("
                    + String.join("; ", examples) + (rows > examples.size() ? "; ..." : "") + ")";
        }
    }

    private final Path file;
    private final String version;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private String staleVersion;
    private int staleRows;
    private int damagedRows;
    private final List<String> damageExamples = new ArrayList<>();

    private ResultCache(Path file, String version) {
        this.file = file;
        this.version = version;
    }

    /**
     * Opens (and reads, if it exists) the cache file. Damaged rows are dropped (see {@link #damage()}); so are
     * all its rows if the file's version line is not {@code version} (see {@link #staleRows()}).
     *
     * @param version what the rows must have been computed by: a hash of the suite version and the test
     * @throws FileFormatException if the path is a directory
     */
    public static ResultCache open(Path file, String version) throws IOException {
        if (version.isBlank() || version.contains("\n")) {
            throw new IllegalArgumentException("bad cache version '" + version + "'");
        }
        if (Files.isDirectory(file)) {
            throw new FileFormatException(file.toString(), null, "is a directory, not a result cache", null);
        }
        ResultCache c = new ResultCache(file, version);
        if (Files.exists(file)) {
            c.read(Files.readAllBytes(file));
        }
        return c;
    }

    private void read(byte[] bytes) {
        List<String> lines = lines(bytes);
        String first = lines.isEmpty() ? null : lines.get(0);
        String found = first != null && first.startsWith(VERSION_PREFIX)
                ? first.substring(VERSION_PREFIX.length()).strip() : "none";
        if (!found.equals(version)) {
            staleVersion = found;
            // a first line that is not UTF-8 is a damaged version line, no row
            staleRows = (int) lines.stream().skip(first == null ? 1 : 0).filter(l -> l == null || isRow(l)).count();
            return;
        }
        boolean withCrc = !lines.contains(LEGACY_HEADER);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line == null) {
                damaged(n, "not UTF-8");
            } else if (isRow(line)) {
                try {
                    Entry e = parse(line, withCrc);
                    entries.put(key(e.contender(), e.seed(), e.steps()), e);
                } catch (RuntimeException bad) {
                    damaged(n, bad.getMessage());
                }
            }
        }
    }

    private static boolean isRow(String line) {
        return !line.isBlank() && !line.startsWith("#") && !line.startsWith("contender,");
    }

    /** The file's lines, each decoded as strict UTF-8; null for a line that is not UTF-8. */
    private static List<String> lines(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(utf8(bytes, start, i - start));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(utf8(bytes, start, bytes.length - start));
        }
        return lines;
    }

    private void damaged(int lineIndex, String why) {
        damagedRows++;
        if (damageExamples.size() < DESCRIBED) {
            damageExamples.add("line " + (lineIndex + 1) + ": " + why);
        }
    }

    /** The bytes as strict UTF-8, or null if they are not UTF-8. */
    private static String utf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
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

    /** Rows of the file that were dropped as damaged, or null if none was. */
    public Damage damage() {
        return damagedRows == 0 ? null : new Damage(damagedRows, List.copyOf(damageExamples));
    }

    /** The run of {@code contender} with {@code seed} and {@code steps}, if finished. */
    public synchronized Optional<Entry> get(String contender, long seed, int steps) {
        return Optional.ofNullable(entries.get(key(contender, seed, steps)));
    }

    /** Every finished run. */
    public synchronized Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /**
     * Records finished runs and rewrites the file atomically.
     *
     * @throws IllegalArgumentException for an entry that reading would refuse (see {@link #check})
     */
    public synchronized void putAll(List<Entry> finished) {
        finished.forEach(ResultCache::check);
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
        String content = sb.append(',').append(e.testAccuracy()).toString();
        return content + ',' + crc(content);
    }

    private static String crc(String content) {
        CRC32 crc = new CRC32();
        crc.update(content.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /**
     * Parses and checks one row.
     *
     * @param withCrc whether the row ends with its CRC (every row since the column exists)
     * @throws IllegalArgumentException saying what is wrong with the row
     */
    static Entry parse(String line, boolean withCrc) {
        String content = line;
        if (withCrc) {
            int comma = line.lastIndexOf(',');
            content = line.substring(0, Math.max(0, comma));
            if (comma < 0 || !line.substring(comma + 1).equals(crc(content))) {
                throw new IllegalArgumentException("CRC mismatch (changed or torn)");
            }
        }
        String[] f = content.split(",", -1);
        int expected = withCrc ? 8 : 7;
        if (f.length != expected) {
            throw new IllegalArgumentException("expected " + (withCrc ? 9 : 7) + " fields, got "
                    + (f.length + (withCrc ? 1 : 0)));
        }
        Entry e;
        try {
            String[] points = f[6].isEmpty() ? new String[0] : f[6].split(" ", -1);
            float[] curve = new float[points.length];
            for (int i = 0; i < curve.length; i++) {
                curve[i] = Float.parseFloat(points[i]);
            }
            e = new Entry(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Integer.parseInt(f[5]), curve,
                    withCrc ? Double.parseDouble(f[7]) : Double.NaN);
        } catch (NumberFormatException bad) {
            throw new IllegalArgumentException("not a number: " + bad.getMessage());
        }
        return check(e);
    }

    /**
     * Checks that an entry is consistent: a contender, positive steps and window, a curve of the length they
     * give (or none), a time.
     */
    static Entry check(Entry e) {
        if (e.contender().isBlank() || e.contender().contains(",") || e.contender().contains("\n")) {
            throw new IllegalArgumentException("contender '" + e.contender() + "' is empty or has a comma or newline");
        }
        if (e.steps() <= 0 || e.window() <= 0 || e.window() > e.steps()) {
            throw new IllegalArgumentException("steps " + e.steps() + " and window " + e.window()
                    + " are not positive with window <= steps");
        }
        int points = (e.steps() + e.window() - 1) / e.window();
        if (e.curve().length != 0 && e.curve().length != points) {
            throw new IllegalArgumentException("curve of " + e.curve().length + " points, expected " + points
                    + " (torn?)");
        }
        if (!Double.isNaN(e.testAccuracy()) && !(e.testAccuracy() >= 0 && e.testAccuracy() <= 1)) {
            throw new IllegalArgumentException("test accuracy " + e.testAccuracy() + " is not in [0, 1]");
        }
        if (!(e.seconds() >= 0) || Double.isInfinite(e.seconds())) {
            throw new IllegalArgumentException("seconds " + e.seconds() + " is not a time");
        }
        return e;
    }
}
