package org.rnnprop.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The JVM option that makes the Vector API readable, added to or removed from a forked JVM's options. */
final class VectorFlag {
    /** As written in reports. */
    static final String FLAG = "--add-modules jdk.incubator.vector";
    /** As passed to a JVM. */
    static final List<String> FLAG_ARGS = List.of("--add-modules", "jdk.incubator.vector");

    private VectorFlag() {
    }

    /** {@code options} without the flag (in either spelling), then with it again if {@code vector}. */
    static List<String> jvmOptions(List<String> options, boolean vector) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (o.equals("--add-modules=jdk.incubator.vector")) {
                continue;
            }
            if (o.equals("--add-modules") && i + 1 < options.size()
                    && options.get(i + 1).equals("jdk.incubator.vector")) {
                i++;
                continue;
            }
            out.add(o);
        }
        if (vector) {
            out.addAll(FLAG_ARGS);
        }
        return out;
    }
}
