package org.rnnprop.meta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a run's meta-optimizer still moves the network: per tensor, the RMS of recent meta-gradients and the
 * relative step {@code |m̂| / (sqrt(v̂) + eps)} from the checkpoint, and the largest meta-gradient norms in the
 * log. A run whose relative steps are far below the usual 0.01 to 0.1 has been frozen by a gradient spike.
 */
final class RunHealth {
    /** Median relative step under which a run counts as frozen. */
    static final double FROZEN_BELOW = 1e-3;
    /** Median relative step under which a run counts as slowed down. */
    static final double SLOWED_BELOW = 1e-2;

    private RunHealth() {
    }

    /** The report for {@code run}, as text. */
    static String report(RunDirectory run) throws IOException {
        MetaAdam adam = Checkpoint.readMetaAdam(run.checkpoint());
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %d meta-updates%n%n", run.dir(), adam.step()));
        s.append(String.format(Locale.ROOT, "%-18s %8s %14s %14s %14s%n", "tensor", "weights", "median rms",
                "max rms", "median step"));
        Map<String, double[]> rms = adam.gradientRms();
        List<Double> medians = new ArrayList<>();
        for (Map.Entry<String, double[]> e : adam.relativeSteps().entrySet()) {
            double[] r = rms.get(e.getKey());
            double step = quantile(e.getValue(), 0.5);
            medians.add(step);
            s.append(String.format(Locale.ROOT, "%-18s %8d %14.3g %14.3g %14.3g%n", e.getKey(), r.length,
                    quantile(r, 0.5), quantile(r, 1), step));
        }
        double overall = quantile(medians.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
        s.append(String.format(Locale.ROOT, "%n(step: |m̂|/(sqrt(v̂)+eps), the fraction of the meta-learning rate "
                + "the next update moves a weight)%n"));
        s.append(overall < FROZEN_BELOW
                ? String.format(Locale.ROOT, "FROZEN: median relative step %.2g. A past meta-gradient spike "
                        + "dominates v̂, which decays by 0.999 per update: more iterations will not change the "
                        + "network for a long time.%n", overall)
                : overall < SLOWED_BELOW
                ? String.format(Locale.ROOT, "SLOWED: median relative step %.2g. Past meta-gradient spikes still "
                        + "dominate v̂; the network moves at a fraction of the meta-learning rate.%n", overall)
                : String.format(Locale.ROOT, "moving: median relative step %.2g.%n", overall));
        List<double[]> log = RunDirectory.readCsv(run.log());
        List<double[]> withNorm = log.stream().filter(r -> r.length > 6 && Double.isFinite(r[6])).toList();
        if (withNorm.isEmpty()) {
            s.append("log.csv has no meta-gradient norms (written since the column was added).\n");
        } else {
            double[] norms = withNorm.stream().mapToDouble(r -> r[6]).toArray();
            s.append(String.format(Locale.ROOT, "meta-gradient norm over %d logged iterations: median %.3g; largest:",
                    norms.length, quantile(norms, 0.5)));
            withNorm.stream().sorted(Comparator.comparingDouble((double[] r) -> r[6]).reversed()).limit(5)
                    .forEach(r -> s.append(String.format(Locale.ROOT, " %.3g (iteration %d)", r[6], (long) r[0])));
            s.append('\n');
        }
        return s.toString();
    }

    private static double quantile(double[] a, double q) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
    }
}
