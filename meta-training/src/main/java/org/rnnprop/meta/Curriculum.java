package org.rnnprop.meta;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.tasks.Rng;

/**
 * The trajectory-length curriculum of the long-horizon recipe. Stage {@code i} trains on trajectories of
 * {@code lengths[i]} steps and is judged by validation at the next stage's length; when that validation has not
 * improved for {@code patience} checks in a row, the curriculum advances and the trainer goes back to the
 * stage's best network. After the last stage comes the final phase: lengths drawn log-uniformly over the whole
 * range, so the short horizons the optimizer was first good at stay in the mix, judged at the shortest and the
 * longest length together. The final phase never advances; it keeps the best network it has seen.
 *
 * <p>Mutable; its whole state is persisted in the run's checkpoint ({@link #state()}, {@link #restore}).
 */
final class Curriculum {

    /** What a validation check led to. */
    enum Decision {
        /** A new best score at the current validation length. */
        IMPROVED,
        /** No improvement, patience not yet used up (or in the final phase). */
        WAITING,
        /** Patience used up: the next stage (or the final phase) begins from the stage's best network. */
        ADVANCED
    }

    /**
     * Everything a checkpoint stores.
     *
     * @param stage the current stage (equal to the number of stages in the final phase)
     * @param best the best validation score of the stage (+infinity before its first check)
     * @param sinceBest checks since the best
     * @param bestIteration the iteration of the best check (-1: none)
     * @param bestNetwork the network at the best check (null: none)
     * @param stepsSinceCheck optimizee steps trained since the last check
     */
    record State(int stage, double best, int sinceBest, long bestIteration, Map<String, float[]> bestNetwork,
            long stepsSinceCheck) {
    }

    private final int[] lengths;
    private final int patience;
    private final int checkEvery;
    private long stepsSinceCheck;
    private int stage;
    private double best = Double.POSITIVE_INFINITY;
    private int sinceBest;
    private long bestIteration = -1;
    private Map<String, float[]> bestNetwork;
    private Map<String, float[]> restart;

    Curriculum(LongHorizon settings) {
        this.lengths = settings.lengths();
        this.patience = settings.patience();
        this.checkEvery = settings.validateEvery();
    }

    /** Counts a trained trajectory; true when a check is due (the count then starts again). */
    boolean trained(int steps) {
        stepsSinceCheck += steps;
        if (stepsSinceCheck < checkEvery) {
            return false;
        }
        stepsSinceCheck = 0;
        return true;
    }

    /** Whether the last stage is done and lengths are drawn over the whole range. */
    boolean finalPhase() {
        return stage >= lengths.length;
    }

    int stage() {
        return stage;
    }

    /**
     * The length of the next trajectory: the stage's, or in the final phase log-uniform between the shortest and
     * the longest, rounded down to a multiple of {@code unroll}.
     */
    int trainingLength(Rng rng, int unroll) {
        if (!finalPhase()) {
            return lengths[stage];
        }
        double lo = Math.log(lengths[0]);
        double hi = Math.log(lengths[lengths.length - 1]);
        int l = (int) Math.exp(rng.uniform(lo, hi));
        return Math.max(unroll, l / unroll * unroll);
    }

    /** The lengths the current stage is validated at: the next stage's, or in the final phase both ends. */
    int[] validationLengths() {
        if (finalPhase()) {
            return new int[] {lengths[0], lengths[lengths.length - 1]};
        }
        return new int[] {lengths[Math.min(stage + 1, lengths.length - 1)]};
    }

    /**
     * Records a validation score (lower is better) of {@code network} after {@code iteration}.
     *
     * @return the decision; on {@link Decision#ADVANCED} the network to go back to is {@link #restartNetwork()}
     */
    Decision record(double score, long iteration, Map<String, float[]> network) {
        if (score < best) {
            best = score;
            sinceBest = 0;
            bestIteration = iteration;
            bestNetwork = copy(network);
            return Decision.IMPROVED;
        }
        sinceBest++;
        if (sinceBest < patience || finalPhase()) {
            return Decision.WAITING;
        }
        restart = bestNetwork;
        stage++;
        best = Double.POSITIVE_INFINITY;
        sinceBest = 0;
        bestIteration = -1;
        bestNetwork = null;
        return Decision.ADVANCED;
    }

    /**
     * Whether the current stage (or the final phase) has had no check yet. The trainer then checks the network
     * it starts from before training on: the warm start, or the best network of the stage before. That network
     * becomes the stage's first best, so a stage whose training never beats it goes back to it.
     */
    boolean startUnchecked() {
        return Double.isInfinite(best) && sinceBest == 0;
    }

    /** After {@link Decision#ADVANCED}: the best network of the stage that ended (a copy). */
    Map<String, float[]> restartNetwork() {
        return copy(restart);
    }

    /** The best network of the current stage or phase so far, or null before its first check. */
    Map<String, float[]> bestNetwork() {
        return bestNetwork == null ? null : copy(bestNetwork);
    }

    double best() {
        return best;
    }

    int sinceBest() {
        return sinceBest;
    }

    long bestIteration() {
        return bestIteration;
    }

    State state() {
        return new State(stage, best, sinceBest, bestIteration, bestNetwork == null ? null : copy(bestNetwork),
                stepsSinceCheck);
    }

    /** Continues from a stored state. */
    void restore(State s) {
        if (s.stage() < 0 || s.stage() > lengths.length || s.sinceBest() < 0 || s.stepsSinceCheck() < 0) {
            throw new IllegalArgumentException("curriculum state out of range: stage " + s.stage() + " of "
                    + lengths.length + ", checks since best " + s.sinceBest() + ", steps since check "
                    + s.stepsSinceCheck());
        }
        stepsSinceCheck = s.stepsSinceCheck();
        stage = s.stage();
        best = s.best();
        sinceBest = s.sinceBest();
        bestIteration = s.bestIteration();
        bestNetwork = s.bestNetwork() == null ? null : copy(s.bestNetwork());
    }

    /** "stage 2 (500 steps)" or "final phase (100..5000 steps)". */
    String describe() {
        return finalPhase() ? "final phase (" + lengths[0] + ".." + lengths[lengths.length - 1] + " steps)"
                : "stage " + stage + " (" + lengths[stage] + " steps)";
    }

    private static Map<String, float[]> copy(Map<String, float[]> m) {
        if (m == null) {
            return null;
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
