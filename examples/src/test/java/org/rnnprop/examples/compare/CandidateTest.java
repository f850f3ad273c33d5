package org.rnnprop.examples.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.tracker.Tracker;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.WeightFile;
import org.rnnprop.dl4j.Rnnprop;
import org.rnnprop.pretrained.Pretrained;

class CandidateTest {
    @Test
    void labels() {
        assertEquals("RNNprop", Candidate.rnnprop().label());
        assertEquals("RNNprop alpha x0.5", Candidate.rnnprop().withAlphaScale(0.5).label());
        assertEquals("RNNprop alpha x0.25", Candidate.rnnprop().withAlphaScale(0.5).withAlphaScale(0.25).label());
        assertEquals("RNNprop cosine", Candidate.rnnprop().withAlphaSchedule("cosine", Tracker.fixed(1f)).label());
        assertEquals("rnnprop-untrained", Candidate.pretrained("rnnprop-untrained").label());
        assertEquals("Adam 1e-3", Candidate.adam(1e-3).label());
        assertEquals("Adam 3e-4", Candidate.adam(3e-4).label());
        assertEquals("Adam 1e-2", Candidate.adam(0.01).label());
        assertEquals("Adam 0.0078125", Candidate.adam(0x1p-7).label());
    }

    @Test
    void dl4jUpdaterCarriesTheWeightsAndTheScale() {
        Rnnprop r = assertInstanceOf(Rnnprop.class, Candidate.rnnprop().withAlphaScale(0.5).dl4jUpdater());
        assertEquals("rnnprop", r.getPretrained());
        assertEquals(0.5, r.getAlphaScale());
        assertEquals(2e-3, ((org.nd4j.linalg.learning.config.Adam) Candidate.adam(2e-3).dl4jUpdater())
                .getLearningRate(), 0);
    }

    @Test
    void aWeightFileIsReadAtOnceAndUsedByBothFrameworks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.json");
        WeightFile.write(Pretrained.load("rnnprop-untrained"), file);
        Candidate.Learned mine = Candidate.weightFile(file);
        assertEquals("mine", mine.label());
        assertEquals(file, ((Rnnprop) mine.dl4jUpdater()).getFile());
        try (var opt = (org.rnnprop.djl.RnnpropOptimizer) mine.djlOptimizer()) {
            assertEquals(Pretrained.load("rnnprop-untrained").checksum(), opt.weights().checksum());
        }
        Files.writeString(dir.resolve("bad.json"), "{}");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Candidate.weightFile(dir.resolve("bad.json")));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        e = assertThrows(UncheckedIOException.class, () -> Candidate.weightFile(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    }

    @Test
    void refusesWhatCannotRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Candidate.pretrained("no-such-optimizer"));
        assertTrue(e.getMessage().contains("rnnprop"), "lists the shipped names: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Candidate.adam(0));
        assertThrows(IllegalArgumentException.class, () -> Candidate.adam(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Candidate.rnnprop().withAlphaScale(-1));
        Candidate scheduled = Candidate.rnnprop().withAlphaSchedule("cosine", Tracker.fixed(1f));
        assertThrows(UnsupportedOperationException.class, scheduled::dl4jUpdater);
    }
}
