package org.rnnprop.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Times one case (warm-up, then repetitions) and checks that its memory does not grow per step. */
final class Measurement {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Measurement() {
    }

    static Result measure(CaseId id, BenchCase c, StepBenchmark.Options o) {
        // Warm-up: at least warmupSeconds and minWarmupSteps; its steady part sizes the repetitions.
        List<Long> warm = new ArrayList<>();
        long warmStart = System.nanoTime();
        while (warm.size() < o.minWarmupSteps || System.nanoTime() - warmStart < o.warmupSeconds * 1e9) {
            warm.add(timedStep(c));
        }
        double estimate = median(warm.subList(warm.size() / 2, warm.size()));
        int stepsPerRep = (int) Math.max(1, Math.min(1_000_000, Math.round(o.repSeconds * 1e9 / estimate)));
        int reps = id.isReference() ? Math.min(o.reps, o.referenceReps) : o.reps;

        // Repetitions: only step() is timed; prepare() (restoring an overwritten gradient) is not.
        double[] perStep = new double[reps];
        for (int r = 0; r < reps; r++) {
            long total = 0;
            for (int k = 0; k < stepsPerRep; k++) {
                total += timedStep(c);
            }
            perStep[r] = (double) total / stepsPerRep;
        }
        Arrays.sort(perStep);
        double medianNs = reps % 2 == 1 ? perStep[reps / 2] : (perStep[reps / 2 - 1] + perStep[reps / 2]) / 2;

        // Memory: heap allocated per step (calling thread; all JVM threads), live NDArrays, resident set.
        // As many steps as fit memorySeconds at the measured median, at least 3, at most memorySteps.
        int memSteps = o.memorySteps <= 0 ? 0
                : (int) Math.max(Math.min(o.memorySteps, 3), Math.min(o.memorySteps,
                        Math.floor(o.memorySeconds * 1e9 / medianNs)));
        double callerPerStep = Double.NaN;
        double allPerStep = Double.NaN;
        long liveBefore = -1;
        long liveAfter = -1;
        long rssDelta = Long.MIN_VALUE; // unknown
        long rssSecondHalf = Long.MIN_VALUE;
        if (memSteps > 0) {
            liveBefore = c.liveArrays();
            long rssBefore = procStatusKb("VmRSS");
            long allBefore = allThreadsAllocated();
            long callerBefore = THREADS.getCurrentThreadAllocatedBytes();
            long rssMid = -1;
            for (int k = 0; k < memSteps; k++) {
                if (k == memSteps / 2) {
                    rssMid = procStatusKb("VmRSS");
                }
                c.prepare();
                c.step();
            }
            long callerAfter = THREADS.getCurrentThreadAllocatedBytes();
            long allAfter = allThreadsAllocated();
            long rssAfter = procStatusKb("VmRSS");
            liveAfter = c.liveArrays();
            callerPerStep = (double) (callerAfter - callerBefore) / memSteps;
            allPerStep = (double) (allAfter - allBefore) / memSteps;
            rssDelta = rssBefore < 0 || rssAfter < 0 ? Long.MIN_VALUE : rssAfter - rssBefore;
            // Growth that continues once allocators and the heap have warmed up is what a leak looks like.
            rssSecondHalf = rssMid < 0 || rssAfter < 0 ? Long.MIN_VALUE : rssAfter - rssMid;
        }
        return new Result(id.id, c.n, c.kernel(), c.threads(), c.stateBytesPerParameter(), c.stateSource(),
                stepsPerRep, reps,
                medianNs, perStep[0], memSteps, callerPerStep, allPerStep, liveBefore, liveAfter, rssDelta,
                rssSecondHalf, procStatusKb("VmHWM"), null);
    }

    private static long timedStep(BenchCase c) {
        c.prepare();
        long t0 = System.nanoTime();
        c.step();
        return System.nanoTime() - t0;
    }

    private static double median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
    }

    /** Heap bytes allocated so far by all live Java threads (worker pools included). */
    private static long allThreadsAllocated() {
        long[] bytes = THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds());
        long sum = 0;
        for (long b : bytes) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** A kB field of /proc/self/status (VmRSS, VmHWM), or -1 where there is none. */
    static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return -1;
    }
}
