package org.rnnprop.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnprop.core.OptimizerWeights;

class PretrainedTest {

    /** Every listed file loads (checksum and all), has a card, and says honestly whether it is trained. */
    @Test
    void everyShippedFileLoadsAndHasACard() throws Exception {
        assertFalse(Pretrained.names().isEmpty());
        for (String name : Pretrained.names()) {
            OptimizerWeights w = Pretrained.load(name);
            String card = Pretrained.modelCard(name);
            assertTrue(card.contains(w.checksum()), name + ".md must quote the file's checksum");
            if (!w.provenance().trained()) {
                assertTrue(name.contains("untrained"), name + " is untrained: its name must say so");
            } else {
                assertTrue(w.provenance().iterations() > 0, name + " claims training but has 0 iterations");
            }
        }
    }

    @Test
    void aChecksumNamesTheShippedFileNotAnAlias() throws Exception {
        for (String name : Pretrained.names()) {
            String file = Pretrained.resolve(name);
            assertEquals(java.util.Optional.of(file), Pretrained.withChecksum(Pretrained.load(name).checksum()), name);
        }
        assertEquals(java.util.Optional.empty(), Pretrained.withChecksum("0".repeat(64)));
    }

    @Test
    void unknownNameListsWhatIsShipped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pretrained.load("nope"));
        assertTrue(e.getMessage().contains(Pretrained.names().get(0)));
    }

    @Test
    void untrainedFilesMatchTheSpecInitialisation() throws Exception {
        for (String name : Pretrained.names()) {
            OptimizerWeights w = Pretrained.load(name);
            if (!w.provenance().trained()) {
                OptimizerWeights spec = org.rnnprop.core.SpecInitialization.create(w.kind(), w.provenance().seed());
                assertEquals(spec.tensors(), w.tensors());
            }
        }
    }

    @Test
    void aliasesResolveToShippedFiles() throws Exception {
        for (String name : Pretrained.names()) {
            String file = Pretrained.resolve(name);
            assertTrue(Pretrained.names().contains(file), name + " -> " + file + " is not shipped");
            assertEquals(Pretrained.load(file), Pretrained.load(name));
        }
    }
}
