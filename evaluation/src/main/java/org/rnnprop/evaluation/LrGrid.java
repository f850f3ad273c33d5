package org.rnnprop.evaluation;

import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The learning-rate search on the grid {@code 2^(k/2)}: start from a window of points, then add one point at
 * a time beyond whichever edge holds the best score until the best has a worse neighbour on both sides.
 * Scores are mean final losses; NaN or infinite scores (a diverged run) count as worst.
 */
public final class LrGrid {
    /** The smallest grid point, lr = 2^-20: below it nothing moves in any test. */
    public static final int MIN = -40;
    /** The largest grid point, lr = 2^10: Adadelta's steps are about 1e-4 times its rate at first. */
    public static final int MAX = 20;

    private LrGrid() {
    }

    /** {@code centre - halfWidth .. centre + halfWidth}, clipped to the limits. */
    public static SortedSet<Integer> window(int centre, int halfWidth) {
        SortedSet<Integer> s = new TreeSet<>();
        for (int k = Math.max(MIN, centre - halfWidth); k <= Math.min(MAX, centre + halfWidth); k++) {
            s.add(k);
        }
        return s;
    }

    /** The point with the lowest finite score (the smaller rate on a tie), or empty if none is finite. */
    public static OptionalInt best(SortedMap<Integer, Double> scores) {
        OptionalInt best = OptionalInt.empty();
        double bestScore = Double.POSITIVE_INFINITY;
        for (Map.Entry<Integer, Double> e : scores.entrySet()) {
            double s = e.getValue();
            if (Double.isFinite(s) && s < bestScore) {
                bestScore = s;
                best = OptionalInt.of(e.getKey());
            }
        }
        return best;
    }

    /**
     * The next point to evaluate, or empty when the best point is inside the grid (or at a limit). With no
     * finite score at all, the search goes to smaller rates, where nothing diverges.
     */
    public static OptionalInt extension(SortedMap<Integer, Double> scores) {
        if (scores.isEmpty()) {
            return OptionalInt.empty();
        }
        int first = scores.firstKey();
        int last = scores.lastKey();
        OptionalInt best = best(scores);
        int target = best.isEmpty() || best.getAsInt() == first ? first - 1
                : best.getAsInt() == last ? last + 1 : Integer.MIN_VALUE;
        return target >= MIN && target <= MAX ? OptionalInt.of(target) : OptionalInt.empty();
    }

    /** Whether the best point is at a limit of the grid (the search could not widen past it). */
    public static boolean bestAtLimit(SortedMap<Integer, Double> scores) {
        OptionalInt best = best(scores);
        return best.isPresent() && (best.getAsInt() == MIN || best.getAsInt() == MAX);
    }
}
