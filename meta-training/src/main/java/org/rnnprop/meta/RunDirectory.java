package org.rnnprop.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.rnnprop.core.internal.AtomicFiles;

/**
 * The files of one meta-training run: {@code checkpoint.json}, {@code log.csv} (one row per iteration),
 * {@code validation.csv} (one row per validation), {@code snapshots/iter-NNNNNNNN.json} (weight files),
 * {@code commands.txt} (every command that worked on the run) and {@code training-curve.png}.
 */
public final class RunDirectory {
    static final String LOG_HEADER = "iteration,meta_loss,final_loss,ema,skipped_updates,seconds,meta_gradient_norm";
    static final String VALIDATION_HEADER = "iteration,runs,learned_final_loss,adam_final_loss,mean_difference,"
            + "standard_error,learned_wins";

    static final String TRAJECTORIES_HEADER = "iteration,trajectory";
    static final String CURRICULUM_HEADER = "iteration,stage,validation_lengths,score,best,checks_since_best,decision";
    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path checkpoint() {
        return dir.resolve("checkpoint.json");
    }

    public Path log() {
        return dir.resolve("log.csv");
    }

    public Path validationLog() {
        return dir.resolve("validation.csv");
    }

    public Path plot() {
        return dir.resolve("training-curve.png");
    }

    public Path snapshots() {
        return dir.resolve("snapshots");
    }

    /** The snapshot written after {@code iteration} completed iterations. */
    public Path snapshot(long iteration) {
        return snapshots().resolve(String.format("iter-%08d.json", iteration));
    }

    /** Snapshot files, oldest first. */
    public List<Path> listSnapshots() throws IOException {
        if (!Files.isDirectory(snapshots())) {
            return List.of();
        }
        try (var s = Files.list(snapshots())) {
            return s.filter(p -> p.getFileName().toString().matches("iter-\\d{8}\\.json")).sorted().toList();
        }
    }

    /** Records a command that worked on this run. */
    public void recordCommand(String command) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("commands.txt"), command + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The first command recorded (the one that started the run). */
    public String firstCommand() throws IOException {
        Path f = dir.resolve("commands.txt");
        return Files.exists(f) ? Files.readAllLines(f).get(0) : "unknown";
    }

    /**
     * Drops log rows of iterations at or after {@code iteration}: after a resume from a checkpoint taken at
     * {@code iteration}, the rows written after it are rewritten by the resumed run.
     */
    public void truncateLogs(long iteration) throws IOException {
        truncate(log(), LOG_HEADER, iteration);
        truncate(validationLog(), VALIDATION_HEADER, iteration + 1);
        if (Files.exists(trajectoriesLog())) {
            truncate(trajectoriesLog(), TRAJECTORIES_HEADER, iteration);
        }
        if (Files.exists(curriculumLog())) {
            truncate(curriculumLog(), CURRICULUM_HEADER, iteration + 1);
        }
    }

    /** The long-horizon recipe's log of which optimizee and length each iteration trained. */
    public Path trajectoriesLog() {
        return dir.resolve("trajectories.csv");
    }

    /** The long-horizon recipe's log of curriculum checks. */
    public Path curriculumLog() {
        return dir.resolve("curriculum.csv");
    }

    /** The best network of a curriculum stage (or of the final phase, {@code stage} = number of stages). */
    public Path stageBest(int stage) {
        return snapshots().resolve(String.format(java.util.Locale.ROOT, "stage-%d-best.json", stage));
    }

    /**
     * Rewrites {@code file} under {@code header}, keeping rows of iterations before {@code firstDropped}. Rows
     * written before a column was added get NaN in it, so old runs resume with the current format.
     */
    private static void truncate(Path file, String header, long firstDropped) throws IOException {
        int columns = header.split(",").length;
        List<String> keep = new ArrayList<>();
        keep.add(header);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("iteration")) {
                    continue;
                }
                int comma = line.indexOf(',');
                try {
                    if (Long.parseLong(line.substring(0, comma)) < firstDropped) {
                        keep.add(line + ",NaN".repeat(Math.max(0, columns - line.split(",").length)));
                    }
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    // a torn last line from a killed run: drop it
                }
            }
        }
        AtomicFiles.write(file, out -> out.write((String.join("\n", keep) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Appends one row to a log. */
    public void append(Path file, String row) {
        try {
            Files.writeString(file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the rows of a CSV log (without the header) as numbers. */
    public static List<double[]> readCsv(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("iteration")) {
                continue;
            }
            String[] f = line.split(",");
            double[] r = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                r[i] = Double.parseDouble(f[i]);
            }
            rows.add(r);
        }
        return rows;
    }
}
