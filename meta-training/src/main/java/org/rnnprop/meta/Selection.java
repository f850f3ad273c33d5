package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.WeightFile;
import org.rnnprop.tasks.Task;

/**
 * Chooses which weights of a run to ship, as the paper does: RNNprop by the lowest moving average of the
 * training (meta-)loss among the snapshots, DMoptimizer by the validation test.
 */
final class Selection {
    private Selection() {
    }

    /**
     * The weights {@code rule} chooses among the run's snapshots at or before iteration {@code upTo}, so that
     * runs trained for different lengths can be compared at one budget.
     *
     * @param upTo the last iteration to consider ({@link Long#MAX_VALUE}: all)
     */
    static OptimizerWeights select(String rule, RunDirectory run, MetaTrainer trainer, Checkpoint.Stats stats,
            Task base, int validationRuns, NDManager manager, String data, long upTo) throws IOException {
        List<Path> snapshots = snapshotsUpTo(run, upTo);
        switch (rule) {
            case "latest":
                if (trainer.iteration() > upTo) {
                    throw new IllegalArgumentException("--select latest takes the checkpoint, at iteration "
                            + trainer.iteration() + ", past --up-to " + upTo + "; use --select ema or validation");
                }
                return note(trainer.weights(MetaTrainCli.provenance(trainer, stats, run, data, trainer.iteration(),
                        "selection: latest checkpoint")), "the checkpoint itself, at iteration " + trainer.iteration()
                        + " (--select latest)");
            case "ema": {
                if (snapshots.isEmpty()) {
                    throw new IllegalStateException(run.snapshots() + ": no snapshots" + snapshotRange(upTo)
                            + "; use --select latest");
                }
                Map<Long, Double> ema = new LinkedHashMap<>();
                for (double[] row : RunDirectory.readCsv(run.log())) {
                    ema.put((long) row[0] + 1, row[3]);
                }
                Path best = null;
                double bestEma = Double.POSITIVE_INFINITY;
                for (Path p : snapshots) {
                    Double e = ema.get(iterationOf(p));
                    if (e != null && e < bestEma) {
                        bestEma = e;
                        best = p;
                    }
                }
                if (best == null) {
                    throw new IllegalStateException(run.log() + ": no moving average recorded for any snapshot");
                }
                return note(WeightFile.read(best), String.format(Locale.ROOT,
                        "lowest moving-average meta-loss (decay %s) among %d snapshots%s: %.6g at %s",
                        MetaTrainCli.EMA_DECAY, snapshots.size(), upToNote(upTo), bestEma, best.getFileName()));
            }
            case "validation": {
                if (snapshots.isEmpty()) {
                    throw new IllegalStateException(run.snapshots() + ": no snapshots" + snapshotRange(upTo)
                            + "; use --select latest");
                }
                OptimizerWeights best = null;
                double bestLoss = Double.POSITIVE_INFINITY;
                for (Path p : snapshots) {
                    OptimizerWeights w = WeightFile.read(p);
                    double l = Validation.run(w, base, validationRuns, trainer.config().steps(), manager,
                            Validation.SELECTION_SEED_BASE).learned();
                    if (l < bestLoss) {
                        bestLoss = l;
                        best = w;
                    }
                }
                return note(best, String.format(Locale.ROOT,
                        "lowest validation final loss (%d runs, seeds %d..) among %d snapshots%s: %.6g",
                        validationRuns, Validation.SELECTION_SEED_BASE, snapshots.size(), upToNote(upTo), bestLoss));
            }
            case "curriculum": {
                Curriculum c = trainer.curriculum();
                if (c == null) {
                    throw new IllegalArgumentException("--select curriculum is for the rnnprop-long recipe; this run "
                            + "is " + trainer.config().recipe().id());
                }
                for (int stage = c.stage(); stage >= 0; stage--) {
                    Path p = run.stageBest(stage);
                    if (Files.exists(p)) {
                        OptimizerWeights w = WeightFile.read(p);
                        if (w.provenance().recipe().equals(Checkpoint.placeholder().recipe())) {
                            // written before stage bests carried provenance: rebuilt from the run and its log
                            w = w.withProvenance(MetaTrainCli.provenance(trainer, stats, run, data,
                                    lastImprovement(run, stage) + 1, "best of curriculum stage " + stage));
                        }
                        return note(w, String.format(Locale.ROOT,
                                "best curriculum validation (seeds %d..) of %s: %s", CurriculumValidation.SEED_BASE,
                                stage == c.stage() ? c.describe() : "stage " + stage, p.getFileName()));
                    }
                }
                throw new IllegalStateException(run.snapshots() + ": no stage-K-best.json yet (no curriculum check)");
            }
            default:
                throw new IllegalArgumentException("--select must be ema, validation, latest or curriculum, got '"
                        + rule + "'");
        }
    }

    /** The run's snapshots at or before iteration {@code upTo}, oldest first. */
    static List<Path> snapshotsUpTo(RunDirectory run, long upTo) throws IOException {
        return run.listSnapshots().stream().filter(p -> iterationOf(p) <= upTo).toList();
    }

    private static String upToNote(long upTo) {
        return upTo == Long.MAX_VALUE ? "" : " up to iteration " + upTo;
    }

    /** Which snapshots were looked for, for the error when there are none. */
    private static String snapshotRange(long upTo) {
        return upTo == Long.MAX_VALUE ? " yet" : " at or before iteration " + upTo;
    }

    static long iterationOf(Path snapshot) {
        String n = snapshot.getFileName().toString();
        return Long.parseLong(n.substring(5, 13));
    }

    /** The iteration of the last curriculum check of {@code stage} that improved its best (-1: the start). */
    static long lastImprovement(RunDirectory run, int stage) throws IOException {
        long found = Long.MIN_VALUE;
        List<String> lines = Files.readAllLines(run.curriculumLog());
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split(",");
            if (f.length == 7 && f[1].equals(String.valueOf(stage)) && f[6].equals("improved")) {
                found = Long.parseLong(f[0]);
            }
        }
        if (found == Long.MIN_VALUE) {
            throw new IllegalStateException(run.curriculumLog() + ": no improving check of stage " + stage
                    + ", so its best network's iteration is unknown");
        }
        return found;
    }

    private static OptimizerWeights note(OptimizerWeights w, String selection) {
        Provenance p = w.provenance();
        Map<String, String> d = new LinkedHashMap<>(p.details());
        d.put("selection", selection);
        return w.withProvenance(new Provenance(p.trained(), p.recipe(), p.command(), p.seed(), p.iterations(),
                p.data(), p.codeVersion(), p.date(), d));
    }
}
