package org.rnnprop.tasks.optim;

import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Locale;

/**
 * How a learned optimizer's step bound alpha is scaled over a run whose length is known in advance, as a user
 * sets it with the DJL plugin's {@code optAlphaScale(ParameterTracker)} or the DL4J plugin's
 * {@code withAlphaScale(ISchedule)}. The evaluation suite's "RNNprop cosine" and meta-training for that setting
 * ({@code meta-train train --alpha-schedule cosine}) use the same trackers.
 */
public enum AlphaSchedule {
    /** Alpha as the weights give it, at every step. */
    CONSTANT,
    /**
     * DJL's cosine tracker from 1 over the run's steps, its final value left at DJL's default:
     * {@code Tracker.cosine().setBaseValue(1f).setMaxUpdates(steps)}, i.e.
     * {@code 0.01 + 0.99 (1 + cos(pi t / steps)) / 2} at 1-based step t.
     */
    COSINE;

    /** The factor on alpha at each 1-based step of a run of {@code steps} steps. */
    public ParameterTracker over(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a schedule needs a run of at least one step, got " + steps);
        }
        return this == CONSTANT ? Tracker.fixed(1f) : Tracker.cosine().setBaseValue(1f).setMaxUpdates(steps).build();
    }

    /** The name on command lines and in files: {@code constant}, {@code cosine}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The schedule named {@code id} ({@link #id()}).
     *
     * @throws IllegalArgumentException naming the choices, for any other name
     */
    public static AlphaSchedule of(String id) {
        for (AlphaSchedule s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown alpha schedule '" + id + "': expected constant or cosine");
    }
}
