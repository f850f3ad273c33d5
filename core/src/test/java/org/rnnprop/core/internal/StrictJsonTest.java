package org.rnnprop.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.FileFormatException;

/** The strict reader's own limits, independent of the Jackson version an application brings. */
class StrictJsonTest {

    private static StrictJson.Node parse(String json, long maxBytes) throws IOException {
        return StrictJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json",
                maxBytes, FileFormatException::new);
    }

    @Test
    void aDocumentLongerThanTheLimitIsRefusedNamingTheSource() throws IOException {
        String json = "{\"a\":[" + "1,".repeat(2000) + "1]}";
        assertEquals(2001, parse(json, json.length()).get("a").elements().size(), "exactly the limit: read");
        FileFormatException e = assertThrows(FileFormatException.class, () -> parse(json, json.length() - 1));
        assertEquals("test.json", e.source());
        assertEquals("test.json: more than " + (json.length() - 1) + " bytes: not a file of this kind",
                e.getMessage());
    }

    @Test
    void duplicateKeysAndTrailingContentAreRefused() {
        assertThrows(FileFormatException.class, () -> parse("{\"a\":1,\"a\":2}", 100));
        assertThrows(FileFormatException.class, () -> parse("{\"a\":1} {}", 100));
    }
}
