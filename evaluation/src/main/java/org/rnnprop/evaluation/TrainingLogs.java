package org.rnnprop.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnnprop.meta.Recipe;
import org.rnnprop.meta.RunDirectory;

/**
 * The control experiment on the convex term (paper, Table 4; claim 9) from meta-training run logs: the runs of
 * the {@code rnnprop} and {@code rnnprop-no-convex} recipes, each in {@code <runs>/<recipe><suffix>/}, compared
 * by their validation rows (the base MLP for 100 steps, paired against Adam 2^-5), which measure the same thing
 * for both.
 */
public final class TrainingLogs {

    /**
     * One validation row.
     *
     * @param iteration meta-training iterations done
     * @param learned the learned optimizer's mean final loss
     * @param adam Adam 2^-5's mean final loss on the same runs
     */
    public record Validation(long iteration, double learned, double adam) {
    }

    /**
     * A meta-training run's validation history.
     *
     * @param recipe its recipe name (also its folder name)
     * @param dir its folder
     * @param rows its validation rows, oldest first (empty if the run is absent)
     * @param lastIteration the last iteration in its log.csv, or -1
     */
    public record Run(String recipe, Path dir, List<Validation> rows, long lastIteration) {
        /** Whether the run has any validation row. */
        public boolean present() {
            return !rows.isEmpty();
        }
    }

    /**
     * The comparison.
     *
     * @param with the run with the convex term
     * @param without the run without it
     */
    public record Comparison(Run with, Run without) {
        /** Whether both runs have validation rows. */
        public boolean complete() {
            return with.present() && without.present();
        }

        /** The target: Adam 2^-5's validation loss, averaged over both runs' rows at the common iterations. */
        public double threshold() {
            List<Long> common = commonIterations();
            return java.util.stream.Stream.concat(with.rows().stream(), without.rows().stream())
                    .filter(v -> common.contains(v.iteration())).mapToDouble(Validation::adam).average()
                    .orElse(Double.NaN);
        }

        /**
         * When {@code run} (one of the two) reached {@code threshold}: the first common iteration from which its
         * validation loss stays at or below it for {@code consecutive} consecutive common validations; -1 if it
         * did not within the common iterations. Only common iterations count, so neither run is credited for
         * validations the other never had, and one noisy row does not decide.
         */
        public long reachedAt(Run run, double threshold, int consecutive) {
            List<Long> common = commonIterations();
            int streak = 0;
            for (int i = 0; i < common.size(); i++) {
                streak = at(run, common.get(i)) <= threshold ? streak + 1 : 0;
                if (streak == consecutive) {
                    return common.get(i - consecutive + 1);
                }
            }
            return -1;
        }

        /** Validation iterations present in both runs. */
        public List<Long> commonIterations() {
            List<Long> its = new ArrayList<>();
            for (Validation v : with.rows()) {
                if (without.rows().stream().anyMatch(w -> w.iteration() == v.iteration())) {
                    its.add(v.iteration());
                }
            }
            return its;
        }

        /** A run's validation loss at an iteration (NaN if absent). */
        public static double at(Run run, long iteration) {
            return run.rows().stream().filter(v -> v.iteration() == iteration).mapToDouble(Validation::learned)
                    .findFirst().orElse(Double.NaN);
        }
    }

    private TrainingLogs() {
    }

    /** Reads the two runs from {@code runsDir} (either may be absent). */
    public static Comparison read(Path runsDir) throws IOException {
        return read(runsDir, "");
    }

    /**
     * Reads the two runs from {@code runsDir}, in folders named after their recipe plus {@code suffix}, as in
     * {@code runs/rnnprop-lr1e-3} and {@code runs/rnnprop-no-convex-lr1e-3} for suffix {@code -lr1e-3}.
     */
    public static Comparison read(Path runsDir, String suffix) throws IOException {
        return new Comparison(run(runsDir, Recipe.RNNPROP.id(), suffix),
                run(runsDir, Recipe.RNNPROP_NO_CONVEX.id(), suffix));
    }

    static Run run(Path runsDir, String recipe, String suffix) throws IOException {
        RunDirectory dir = new RunDirectory(runsDir.resolve(recipe + suffix));
        List<Validation> rows = new ArrayList<>();
        // validation.csv: iteration, runs, learned_final_loss, adam_final_loss, ...
        for (double[] r : readCsv(dir.validationLog())) {
            rows.add(new Validation((long) r[0] + 1, r[2], r[3]));
        }
        long last = -1;
        if (Files.exists(dir.log())) {
            List<double[]> log = readCsv(dir.log());
            last = log.isEmpty() ? -1 : (long) log.get(log.size() - 1)[0] + 1;
        }
        return new Run(recipe, dir.dir(), rows, last);
    }

    /** Reads a log that a running meta-training may be appending to: a half-written last row is read again. */
    private static List<double[]> readCsv(Path file) throws IOException {
        try {
            return RunDirectory.readCsv(file);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException torn) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RunDirectory.readCsv(file);
        }
    }

    /** "runs/rnnprop: 12 validations, 1,200 iterations" or "runs/rnnprop: absent". */
    static String describe(Run r) {
        return r.present()
                ? String.format(Locale.ROOT, "`%s`: %d validation(s), the last after iteration %d", r.dir(),
                        r.rows().size(), r.rows().get(r.rows().size() - 1).iteration())
                : "`" + r.dir() + "`: no validation log";
    }
}
