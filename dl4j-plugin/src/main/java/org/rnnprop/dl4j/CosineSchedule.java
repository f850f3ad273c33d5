package org.rnnprop.dl4j;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A cosine decay from {@code initialValue} to {@code finalValue} over {@code maxIter} iterations (or epochs),
 * then {@code finalValue}: a DL4J {@link ISchedule}, as DL4J has none, made to give the values of DJL's
 * {@code CosineTracker}. Meant for {@link Rnnprop#withAlphaScaleSchedule}, where it shrinks the step bound
 * towards the end of a run of known length; any DL4J updater that takes a schedule can use it.
 *
 * <p>At step {@code t} it is {@code finalValue + (initialValue - finalValue) * (1 + cos(pi * t / maxIter)) / 2}
 * for {@code t <= maxIter} and {@code finalValue} after. Steps count from 1: DL4J's iteration (or epoch) 0 is
 * {@code t = 1}, as the DJL plugin hands {@code CosineTracker} its 1-based step count. So the last of
 * {@code maxIter} planned iterations runs at {@code finalValue} exactly, and
 * {@code new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, n)} gives, iteration for iteration, the alpha
 * scale of {@code Tracker.cosine().setBaseValue(1f).setMaxUpdates(n).build()} in the DJL plugin (DJL computes in
 * float, this in double). Unlike DL4J's {@code PolySchedule}, whose iteration 0 is its initial value, the
 * first iteration here is already a little below {@code initialValue}.
 *
 * <p>A plain value with DL4J's JSON annotations, so a network configuration that holds it survives
 * {@code toJson()/fromJson()} and {@code ModelSerializer}.
 */
public final class CosineSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    // Field names are the JSON property names.
    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double finalValue;
    private final int maxIter;

    /**
     * A cosine from {@code initialValue} at step 0 to {@code finalValue} at step {@code maxIter} (see the class
     * comment for how steps count).
     *
     * @param scheduleType whether the steps are DL4J's iterations or epochs
     * @param initialValue the value the cosine starts from
     * @param finalValue the value at step {@code maxIter} and after; above {@code initialValue}, a cosine rise
     * @param maxIter iterations (or epochs) the decay spans
     * @throws IllegalArgumentException if a value is NaN or infinite or {@code maxIter < 1} (the message names
     *     the parameter)
     */
    @JsonCreator
    public CosineSchedule(@JsonProperty("scheduleType") ScheduleType scheduleType,
            @JsonProperty("initialValue") double initialValue, @JsonProperty("finalValue") double finalValue,
            @JsonProperty("maxIter") int maxIter) {
        this.scheduleType = Objects.requireNonNull(scheduleType, "scheduleType");
        this.initialValue = requireFinite("initialValue", initialValue);
        this.finalValue = requireFinite("finalValue", finalValue);
        if (maxIter < 1) {
            throw new IllegalArgumentException("CosineSchedule maxIter must be >= 1, got " + maxIter);
        }
        this.maxIter = maxIter;
    }

    private static double requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("CosineSchedule " + name + " must be finite, got " + value);
        }
        return value;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        long t = (scheduleType == ScheduleType.ITERATION ? iteration : epoch) + 1L;
        if (t > maxIter) {
            return finalValue;
        }
        return finalValue + (initialValue - finalValue) * (1 + Math.cos(Math.PI * t / maxIter)) / 2;
    }

    @Override
    public CosineSchedule clone() {
        return this; // immutable
    }

    /** Whether the steps are DL4J's iterations or epochs. */
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    /** The value the cosine starts from, at step 0. */
    public double getInitialValue() {
        return initialValue;
    }

    /** The value at step {@link #getMaxIter()} and after. */
    public double getFinalValue() {
        return finalValue;
    }

    /** The iterations (or epochs) the decay spans. */
    public int getMaxIter() {
        return maxIter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && scheduleType == c.scheduleType
                && Double.compare(initialValue, c.initialValue) == 0 && Double.compare(finalValue, c.finalValue) == 0
                && maxIter == c.maxIter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, finalValue, maxIter);
    }

    @Override
    public String toString() {
        return "CosineSchedule(scheduleType=" + scheduleType + ", initialValue=" + initialValue + ", finalValue="
                + finalValue + ", maxIter=" + maxIter + ")";
    }
}
