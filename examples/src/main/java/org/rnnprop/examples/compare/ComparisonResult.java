package org.rnnprop.examples.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.rnnprop.evaluation.Stats;
import org.rnnprop.examples.notebook.LinePlot;
import org.rnnprop.examples.notebook.TextTable;

/**
 * The runs of an {@link OptimizerComparison}: every candidate on every seed, with the summary, the paired
 * differences that answer "is the learned optimizer better here?", and the plot.
 *
 * <p>The score of a run is its final training loss: the mean minibatch loss of its last {@link #window()}
 * steps. Lower is better.
 */
public final class ComparisonResult {
    private final String model;
    private final List<Candidate> candidates;
    private final long[] seeds;
    private final int window;
    /** [candidate][seed]. */
    private final TrainingRun[][] runs;

    ComparisonResult(String model, List<Candidate> candidates, long[] seeds, int window, TrainingRun[][] runs) {
        this.model = model;
        this.candidates = List.copyOf(candidates);
        this.seeds = seeds.clone();
        this.window = window;
        this.runs = runs;
    }

    /** The model's name. */
    public String model() {
        return model;
    }

    /** The candidates, in the order they ran. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** The seeds (each: initial parameters and minibatch order shared by every candidate). */
    public long[] seeds() {
        return seeds.clone();
    }

    /** Steps whose mean loss is a run's score. */
    public int window() {
        return window;
    }

    /** The run of {@code candidate} on the {@code seedIndex}-th seed. */
    public TrainingRun run(Candidate candidate, int seedIndex) {
        return runs[index(candidate)][seedIndex];
    }

    /** The scores of {@code candidate}, one per seed. */
    public double[] finalLosses(Candidate candidate) {
        TrainingRun[] r = runs[index(candidate)];
        double[] out = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i].finalLoss(window);
        }
        return out;
    }

    /** Mean score of {@code candidate} over the seeds; NaN if any of its runs ended without a finite loss. */
    public double meanFinalLoss(Candidate candidate) {
        return mean(finalLosses(candidate));
    }

    /** {@code a}'s scores minus {@code b}'s, paired by seed. */
    public PairedDifference paired(Candidate a, Candidate b) {
        return PairedDifference.of(finalLosses(a), finalLosses(b));
    }

    /** The Adam candidates, in the order they ran. */
    public List<Candidate.Adam> adams() {
        return candidates.stream().filter(c -> c instanceof Candidate.Adam).map(c -> (Candidate.Adam) c).toList();
    }

    /** The learned candidates, in the order they ran. */
    public List<Candidate.Learned> learned() {
        return candidates.stream().filter(c -> c instanceof Candidate.Learned).map(c -> (Candidate.Learned) c)
                .toList();
    }

    /**
     * The Adam rate with the lowest mean score (a diverged one counts as worst). It is chosen on these same runs,
     * which flatters Adam a little: a fair tuning would pick the rate on other seeds.
     *
     * @throws IllegalStateException if no Adam ran
     */
    public Candidate.Adam bestAdam() {
        return adams().stream().min(Comparator.comparingDouble(a -> orInfinity(meanFinalLoss(a))))
                .orElseThrow(() -> new IllegalStateException("no Adam candidate in this comparison"));
    }

    /** One row per candidate: score mean +- s.e. over seeds, held-out accuracy, time per run. */
    public String table() {
        TextTable t = new TextTable("optimizer", "final loss (mean +- s.e.)", "held-out accuracy", "s per run");
        for (Candidate c : candidates) {
            double[] f = finalLosses(c);
            double acc = 0;
            double sec = 0;
            for (TrainingRun r : runs[index(c)]) {
                acc += r.testAccuracy();
                sec += r.seconds();
            }
            int n = seeds.length;
            int diverged = Stats.nonFinite(f);
            t.row(c.label(), String.format(Locale.ROOT, "%.4f +- %.4f", Stats.mean(f), Stats.standardError(f))
                            + (diverged == 0 ? "" : " (" + diverged + " not finite, left out)"),
                    Double.isNaN(acc) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * acc / n),
                    String.format(Locale.ROOT, "%.1f", sec / n));
        }
        return t.toString();
    }

    /**
     * The answer: each learned candidate against Adam 1e-3 (if it ran) and against the best Adam rate, paired
     * by seed, with a verdict from the paired t-test at p < 0.05.
     */
    public String verdict() {
        StringBuilder sb = new StringBuilder();
        List<Candidate.Adam> adams = adams();
        for (Candidate.Learned l : learned()) {
            List<Candidate.Adam> against = new ArrayList<>();
            adams.stream().filter(a -> a.learningRate() == 1e-3).findFirst().ifPresent(against::add);
            if (!adams.isEmpty() && !against.contains(bestAdam())) {
                against.add(bestAdam());
            }
            for (Candidate.Adam a : against) {
                PairedDifference d = paired(l, a);
                String word = switch (d.sign()) {
                    case -1 -> "LOWER: better";
                    case 1 -> "HIGHER: worse";
                    default -> "no clear difference";
                };
                sb.append(String.format(Locale.ROOT, "%s - %s%s: %s -> %s%n", l.label(), a.label(),
                        a.equals(bestAdam()) && adams.size() > 1 ? " (best of the sweep)" : "", d, word));
            }
        }
        sb.append(String.format(Locale.ROOT, "(final loss: mean training loss of the last %d steps; %d seeds, each "
                + "the same initial parameters and minibatches for every optimizer%s)%n", window, seeds.length,
                adams.size() > 1 ? "; the best Adam rate is picked on these same runs, which favours Adam" : ""));
        return sb.toString();
    }

    /**
     * Writes the PNG: the mean loss curves (smoothed) beside each candidate's score with its standard error,
     * the Adam rates along a log axis and each learned candidate as a level line across it.
     */
    public void writePlot(Path file) throws IOException {
        int steps = runs[0][0].losses().length;
        LinePlot curves = new LinePlot(model + ": training loss (mean of " + seeds.length + " seeds)", "step",
                "minibatch loss, moving average");
        int smoothing = Math.max(1, Math.min(window, steps / 20));
        for (Candidate c : candidates) {
            float[] mean = new float[steps];
            for (TrainingRun r : runs[index(c)]) {
                for (int s = 0; s < steps; s++) {
                    mean[s] += r.losses()[s] / seeds.length;
                }
            }
            curves.line(c.label(), LinePlot.smooth(mean, smoothing));
        }
        LinePlot scores = new LinePlot(model + ": final loss, mean +- s.e.", "Adam learning rate", "final loss");
        List<Candidate.Adam> adams = adams();
        double lo = adams.stream().mapToDouble(Candidate.Adam::learningRate).min().orElse(1e-3);
        double hi = adams.stream().mapToDouble(Candidate.Adam::learningRate).max().orElse(1e-3);
        if (lo == hi) {
            lo /= 2;
            hi *= 2;
        }
        for (Candidate.Learned l : learned()) {
            double[] f = finalLosses(l);
            if (Double.isFinite(mean(f))) {
                double e = finiteOr(Stats.standardError(f), 0);
                scores.points(l.label(), new double[] {lo, hi}, new double[] {mean(f), mean(f)}, new double[] {e, e});
            }
        }
        List<double[]> adamPoints = new ArrayList<>();
        for (Candidate.Adam a : adams) {
            double[] f = finalLosses(a);
            if (Double.isFinite(mean(f))) {
                adamPoints.add(new double[] {a.learningRate(), mean(f), finiteOr(Stats.standardError(f), 0)});
            }
        }
        if (!adamPoints.isEmpty()) {
            scores.points("Adam", column(adamPoints, 0), column(adamPoints, 1), column(adamPoints, 2));
        }
        scores.logX();
        LinePlot.save(file, curves, scores);
    }

    private int index(Candidate c) {
        int i = candidates.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("'" + c.label() + "' is not a candidate of this comparison");
        }
        return i;
    }

    /** The mean, or NaN when any value is not finite (a diverged run must not disappear from a mean). */
    static double mean(double[] x) {
        return Stats.nonFinite(x) > 0 ? Double.NaN : Stats.mean(x);
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static double orInfinity(double x) {
        return Double.isFinite(x) ? x : Double.POSITIVE_INFINITY;
    }

    private static double finiteOr(double x, double otherwise) {
        return Double.isFinite(x) ? x : otherwise;
    }
}
