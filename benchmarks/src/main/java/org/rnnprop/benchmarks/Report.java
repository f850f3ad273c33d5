package org.rnnprop.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown report: machine facts, settings, the throughput table and the memory table. */
final class Report {
    private Report() {
    }

    static String render(StepBenchmark.Options o, String[] args, Map<String, String> facts, List<Result> results,
            String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        int cores = Runtime.getRuntime().availableProcessors();
        sb.append("# Optimizer step throughput\n\n");
        sb.append("- Date: ").append(StepBenchmark.now()).append('\n');
        sb.append("- CPU: ").append(cpuModel()).append(", ").append(cores).append(" cores available to the JVM\n");
        sb.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB, options ")
                .append(ManagementFactory.getRuntimeMXBean().getInputArguments()).append('\n');
        facts.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        String nice = niceness();
        sb.append("- Load average (1/5/15 min): ").append(loadBefore).append(" at start, ").append(loadAfter)
                .append(" at end; niceness ").append(nice).append('\n');
        sb.append("- Settings: sizes ").append(o.sizes).append(", ").append(o.reps).append(" reps (ReferenceStep ")
                .append(Math.min(o.reps, o.referenceReps)).append(", only N <= ").append(o.referenceMaxSize)
                .append("), warm-up >= ").append(o.warmupSeconds).append(" s, repetitions of ~").append(o.repSeconds)
                .append(" s, memory check <= ").append(o.memorySteps).append(" steps / ").append(o.memorySeconds)
                .append(" s, ").append(o.fork ? "one JVM per case" : "one JVM for all cases")
                .append(o.fork ? ", cases that depend on the Vector API in JVMs " + (o.vectorModes.size() == 2
                        ? "with and without " : o.vectorModes.get(0) ? "with " : "without ") + VectorFlag.FLAG : "")
                .append(", weights ")
                .append(o.rnnpropWeights).append(" / ").append(o.dmWeights).append(", seed ").append(o.seed)
                .append('\n');
        sb.append("- Arguments: `").append(String.join(" ", args)).append("`\n");
        sb.append(notIdleWarning(loadBefore));

        sb.append("\n## Step throughput (coordinates per second; higher is better)\n\n");
        sb.append("Times are per optimizer step over N coordinates, step call only. \"vs FastStep\" is the median "
                + "throughput divided by that of core FastStep RNNprop with ").append(o.threads)
                .append(" threads at the same N.\n\n");
        sb.append("| N | implementation | optimizer | kernel | threads | state B/param | median ms/step "
                + "| min ms/step | median coords/s | best coords/s | vs FastStep | heap B/step | steps x reps |\n");
        sb.append("|--:|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Result r : results) {
            CaseId c = r.id();
            if (!r.ok()) {
                sb.append(String.format("| %,d | %s | %s | | | | | | | | | | failed: %s |%n", r.n(), c.label,
                        c.optimizer, r.error().replace('|', '/')));
                continue;
            }
            Result base = baseline(results, r.n());
            String ratio = base == null ? "—"
                    : StepBenchmark.sig(r.medianCoordinatesPerSecond() / base.medianCoordinatesPerSecond()) + "x";
            sb.append(String.format(
                    "| %,d | %s | %s | %s | %s | %.0f | %s | %s | %,.0f | %,.0f | %s | %s | %d x %d |%n", r.n(),
                    c.label, c.optimizer, r.kernel(), r.threads(), r.stateBytesPerParameter(),
                    StepBenchmark.sig(r.medianNsPerStep() / 1e6), StepBenchmark.sig(r.minNsPerStep() / 1e6),
                    r.medianCoordinatesPerSecond(), r.bestCoordinatesPerSecond(), ratio,
                    bytes(r.callerBytesPerStep()), r.stepsPerRep(), r.reps()));
        }

        sb.append("\n## Memory per step\n\n");
        sb.append("After timing, the case runs K more steps. Heap: bytes allocated per step by the calling thread "
                + "and by all JVM threads (ThreadMXBean; the core kernels' workers included). Live NDArrays: every "
                + "array the PyTorch engine tracks, before and after the K steps (DJL). RSS: resident-set growth over "
                + "the K steps and over their second half alone (allocators and heap warmed up: growth there is what a "
                + "leak looks like), and the process's peak" + (o.fork ? " (one JVM per case)" : " (all cases so far)")
                + ".\n\n");
        sb.append("| N | implementation | optimizer | kernel | K steps | heap B/step, caller | heap B/step, all threads "
                + "| live NDArrays before -> after | RSS growth MiB | of which in the second half | peak RSS MiB |\n");
        sb.append("|--:|---|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Result r : results) {
            if (!r.ok()) {
                continue;
            }
            CaseId c = r.id();
            sb.append(String.format("| %,d | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |%n", r.n(), c.label,
                    c.optimizer, r.kernel(), r.memorySteps(), bytes(r.callerBytesPerStep()),
                    bytes(r.allThreadsBytesPerStep()),
                    r.liveArraysBefore() < 0 ? "—" : r.liveArraysBefore() + " -> " + r.liveArraysAfter(),
                    mib(r.rssDeltaKb()), mib(r.rssSecondHalfKb()),
                    r.peakRssKb() < 0 ? "—" : String.format("%,d", r.peakRssKb() / 1024)));
        }

        sb.append("\n## Where the state sizes come from\n\n");
        Map<String, String> sources = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.ok()) {
                sources.putIfAbsent(r.id().label + ", " + r.id().optimizer, r.stateSource());
            }
        }
        sources.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** A paragraph warning that the numbers mean little, if the machine was busy or this process niced; else "". */
    static String notIdleWarning(String loadBefore) {
        int cores = Runtime.getRuntime().availableProcessors();
        String nice = niceness();
        if (firstNumber(loadBefore) > 0.25 * cores || !"0".equals(nice)) {
            return "\n**Warning: the machine was not idle (load " + loadBefore + " on " + cores + " cores, niceness "
                    + nice + "): these numbers are not representative.**\n";
        }
        return "";
    }

    private static Result baseline(List<Result> results, int n) {
        for (Result r : results) {
            if (r.ok() && r.n() == n && r.id() == CaseId.BASELINE) {
                return r;
            }
        }
        return null;
    }

    private static String mib(long kb) {
        return kb == Long.MIN_VALUE ? "—" : StepBenchmark.sig(kb / 1024.0);
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "—" : String.format("%,.0f", b);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** This process's nice value (field 19 of /proc/self/stat), or "unknown". */
    private static String niceness() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[16];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double firstNumber(String s) {
        try {
            return Double.parseDouble(s.split(" ")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
