package org.rnnprop.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one case measured at one size. Times are per optimizer step; NaN, -1 (counts) or Long.MIN_VALUE (RSS
 * growth) mark a value not measured.
 * Travels from a forked JVM to the parent as one tab-separated line of {@code key=value}.
 */
record Result(
        String caseId,
        int n,
        String kernel,
        String threads,
        double stateBytesPerParameter,
        String stateSource,
        int stepsPerRep,
        int reps,
        double medianNsPerStep,
        double minNsPerStep,
        int memorySteps,
        double callerBytesPerStep,
        double allThreadsBytesPerStep,
        long liveArraysBefore,
        long liveArraysAfter,
        long rssDeltaKb,
        long rssSecondHalfKb,
        long peakRssKb,
        String error) {

    static final String PREFIX = "@@RESULT";

    static Result failed(String caseId, int n, String error) {
        return new Result(caseId, n, "", "", Double.NaN, "", 0, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN,
                -1, -1, Long.MIN_VALUE, Long.MIN_VALUE, -1, error);
    }

    CaseId id() {
        return CaseId.fromId(caseId);
    }

    /** Median throughput in coordinates per second. */
    double medianCoordinatesPerSecond() {
        return n / (medianNsPerStep * 1e-9);
    }

    /** Best (fastest repetition) throughput in coordinates per second. */
    double bestCoordinatesPerSecond() {
        return n / (minNsPerStep * 1e-9);
    }

    boolean ok() {
        return error == null || error.isEmpty();
    }

    String encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caseId", caseId);
        m.put("n", n);
        m.put("kernel", kernel);
        m.put("threads", threads);
        m.put("stateBytesPerParameter", stateBytesPerParameter);
        m.put("stateSource", stateSource);
        m.put("stepsPerRep", stepsPerRep);
        m.put("reps", reps);
        m.put("medianNsPerStep", medianNsPerStep);
        m.put("minNsPerStep", minNsPerStep);
        m.put("memorySteps", memorySteps);
        m.put("callerBytesPerStep", callerBytesPerStep);
        m.put("allThreadsBytesPerStep", allThreadsBytesPerStep);
        m.put("liveArraysBefore", liveArraysBefore);
        m.put("liveArraysAfter", liveArraysAfter);
        m.put("rssDeltaKb", rssDeltaKb);
        m.put("rssSecondHalfKb", rssSecondHalfKb);
        m.put("peakRssKb", peakRssKb);
        m.put("error", error == null ? "" : error);
        return ChildJvm.encode(PREFIX, m);
    }

    static Result decode(String line) {
        Map<String, String> m = ChildJvm.decode(line);
        return new Result(m.get("caseId"), Integer.parseInt(m.get("n")), m.get("kernel"), m.get("threads"),
                Double.parseDouble(m.get("stateBytesPerParameter")), m.get("stateSource"),
                Integer.parseInt(m.get("stepsPerRep")), Integer.parseInt(m.get("reps")),
                Double.parseDouble(m.get("medianNsPerStep")), Double.parseDouble(m.get("minNsPerStep")),
                Integer.parseInt(m.get("memorySteps")), Double.parseDouble(m.get("callerBytesPerStep")),
                Double.parseDouble(m.get("allThreadsBytesPerStep")), Long.parseLong(m.get("liveArraysBefore")),
                Long.parseLong(m.get("liveArraysAfter")), Long.parseLong(m.get("rssDeltaKb")),
                Long.parseLong(m.get("rssSecondHalfKb")), Long.parseLong(m.get("peakRssKb")), m.get("error"));
    }

}
