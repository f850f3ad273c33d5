package org.rnnprop.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A benchmark's measurement in a JVM of its own: this JVM's options and class path, with or without the Vector
 * API flag, and environment changes such as {@code OMP_NUM_THREADS}. The child reports on stdout in tagged lines
 * ({@link #encode}); everything else it prints is passed on to stderr, indented, and its stderr goes straight
 * through.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code args} and hands each tagged line to {@code tagged}.
     *
     * @param vector whether the child gets {@code --add-modules jdk.incubator.vector}
     * @param environment variables to set; a null value removes the variable
     * @return the child's exit code
     */
    static int run(Class<?> main, List<String> args, boolean vector, Map<String, String> environment,
            Consumer<String> tagged) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(VectorFlag.jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), vector));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        environment.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("@@")) {
                    tagged.accept(line);
                } else {
                    System.err.println("    | " + line); // whatever the frameworks print
                }
            }
        }
        return p.waitFor();
    }

    /** One tagged line: {@code tag}, then tab-separated {@code key=value} (tabs and newlines in values blanked). */
    static String encode(String tag, Map<String, ?> values) {
        StringBuilder sb = new StringBuilder(tag);
        values.forEach((k, v) -> sb.append('\t').append(k).append('=').append(clean(String.valueOf(v))));
        return sb.toString();
    }

    /** The values of a line written by {@link #encode}. */
    static Map<String, String> decode(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] parts = line.split("\t");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            m.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return m;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
