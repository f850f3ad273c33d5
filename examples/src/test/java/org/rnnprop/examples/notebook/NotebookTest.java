package org.rnnprop.examples.notebook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NotebookTest {
    @Test
    void quickWhenEitherSwitchSaysYes() {
        assertFalse(Notebook.isQuick(null, null));
        assertFalse(Notebook.isQuick("", " "));
        assertFalse(Notebook.isQuick("0", "false"));
        assertTrue(Notebook.isQuick("1", null));
        assertTrue(Notebook.isQuick("TRUE", null));
        assertTrue(Notebook.isQuick(null, "true"));
        assertTrue(Notebook.isQuick("no", "yes"));
    }

    @Test
    void aValueThatIsNeitherYesNorNoIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Notebook.isQuick("2", null));
        assertTrue(e.getMessage().contains(Notebook.QUICK_ENV), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Notebook.isQuick(null, "quick"));
        assertTrue(e.getMessage().contains(Notebook.QUICK_PROPERTY), e.getMessage());
    }

    @Test
    void outputFolderNamesArePlainNames() {
        for (String bad : new String[] {"", "a/b", "..", ".hidden", "a\\b"}) {
            assertThrows(IllegalArgumentException.class, () -> Notebook.outputDirectory(bad), bad);
        }
    }
}
