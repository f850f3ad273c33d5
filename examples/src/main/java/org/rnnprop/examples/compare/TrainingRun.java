package org.rnnprop.examples.compare;

/**
 * One run of a comparison.
 *
 * @param losses loss of step {@code t} at index {@code t - 1}: the mean loss of that step's minibatch at the
 *     parameters before the step's update (so {@code losses[0]} is the loss at the initial parameters)
 * @param testAccuracy fraction of the held-out examples classified correctly after the last step, or NaN when
 *     no held-out data was given
 * @param seconds wall time of the training steps (set-up and evaluation excluded)
 */
public record TrainingRun(float[] losses, double testAccuracy, double seconds) {
    /** Checks that there is at least one loss. */
    public TrainingRun {
        if (losses.length == 0) {
            throw new IllegalArgumentException("a run has at least one step");
        }
    }

    /**
     * Mean of the last {@code window} losses (all of them if there are fewer). Not finite if any of them is not
     * (a diverged run stays visible).
     */
    public double finalLoss(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        int from = Math.max(0, losses.length - window);
        double sum = 0;
        for (int i = from; i < losses.length; i++) {
            sum += losses[i];
        }
        return sum / (losses.length - from);
    }
}
