package org.rnnprop.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The version of the code that is running, for provenance: the git commit it was built from, with "-dirty" if
 * tracked files outside {@code runs/} differed at build time. The build writes it into the core jar
 * ({@code code-version.txt}, see core's pom), so a copy of the build (a long run started from a frozen
 * classpath) keeps reporting the code it runs, whatever the working tree holds later.
 */
public final class CodeVersion {
    static final String RESOURCE = "code-version.txt";

    private CodeVersion() {
    }

    /** The built-in version; without one (a build that skipped the step), the working tree's, or "unknown". */
    public static String current() {
        try (InputStream in = CodeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!v.isEmpty()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the working tree
        }
        return workingTree();
    }

    private static String workingTree() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !v.isEmpty() ? v : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
