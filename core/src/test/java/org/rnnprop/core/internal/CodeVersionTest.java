package org.rnnprop.core.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class CodeVersionTest {

    /** The build wrote the version into the classes; in a git checkout it names a commit. */
    @Test
    void buildRecordsTheCommit() throws IOException {
        try (InputStream in = CodeVersion.class.getResourceAsStream(CodeVersion.RESOURCE)) {
            assertNotNull(in, "the build did not write " + CodeVersion.RESOURCE + " (core's pom, antrun)");
        }
        String v = CodeVersion.current();
        assertTrue(v.matches("[0-9a-f]{7,40}(-dirty)?|unknown"), "unexpected code version '" + v + "'");
    }
}
