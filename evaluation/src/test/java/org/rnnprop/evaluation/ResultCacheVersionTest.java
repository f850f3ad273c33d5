package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.pretrained.Pretrained;
import org.rnnprop.tasks.LstmSineTask;

/** Rows of the result cache are reused only for the same suite version, test and optimizer. */
class ResultCacheVersionTest {

    static ResultCache.Entry entry(String key) {
        return new ResultCache.Entry(key, Suite.COMPARISON_SEED_BASE, 100, 0.5, 2.0, 100, new float[] {0.7f});
    }

    @Test
    void aFileOfAnotherVersionIsDropped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        ResultCache.open(f, "aaaa").putAll(List.of(entry("adam@-10")));
        assertEquals(ResultCache.VERSION_PREFIX + "aaaa", Files.readAllLines(f).get(0), "the version line comes first");

        ResultCache same = ResultCache.open(f, "aaaa");
        assertEquals(1, same.entries().size());
        assertEquals(0, same.staleRows());

        ResultCache other = ResultCache.open(f, "bbbb");
        assertTrue(other.entries().isEmpty());
        assertEquals(1, other.staleRows());
        assertEquals("aaaa", other.staleVersion());
        other.putAll(List.of(entry("sgd@2")));
        assertEquals(List.of("sgd@2"), ResultCache.open(f, "bbbb").entries().stream()
                .map(ResultCache.Entry::contender).toList(), "the stale rows are gone from the file too");
    }

    @Test
    void aFileWithoutVersionLineIsFromOlderCode(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, ResultCache.LEGACY_HEADER + "\nadam@-10,0,100,0.5,1.0,50,0.7 0.6\n");
        ResultCache c = ResultCache.open(f, "aaaa");
        assertTrue(c.entries().isEmpty());
        assertEquals(1, c.staleRows());
        assertEquals("none", c.staleVersion());
    }

    @Test
    void theVersionDependsOnTheTestDefinition() {
        Experiment one = Experiments.byId("lstm-sine-100");
        Experiment twoLayers = Experiments.byId("lstm-sine-2layers-100");
        Experiment smallNoise = Experiments.byId("lstm-sine-smallnoise-100");
        String v = Suite.cacheVersion(one, LstmSineTask.of(1, 0.1), null);
        assertEquals(v, Suite.cacheVersion(one, LstmSineTask.of(1, 0.1), null), "deterministic");
        assertEquals(16, v.length());
        assertNotEquals(v, Suite.cacheVersion(twoLayers, LstmSineTask.of(2, 0.1), null));
        assertNotEquals(v, Suite.cacheVersion(smallNoise, LstmSineTask.of(1, 0.01), null));
        // the same test with an optimizee of another size (e.g. the task's code changed)
        assertNotEquals(v, Suite.cacheVersion(one, LstmSineTask.of(2, 0.1), null));
        String d = Suite.definition(one, LstmSineTask.of(1, 0.1), null);
        assertTrue(d.contains("suite " + Suite.CACHE_VERSION) && d.contains("1781 parameters")
                && d.contains("batch 128") && d.contains("steps 100"), d);
    }

    @Test
    void learnedKeysNameTheKindHyperparametersAndTensors() throws Exception {
        OptimizerWeights w = Pretrained.load("rnnprop-untrained");
        String key = Contender.learned(LearnedRole.RNNPROP, w).key();
        assertTrue(key.matches("rnnprop#rnnprop-[0-9a-f]{8}-" + w.checksum().substring(0, 12)), key);
        assertNotEquals(key, Contender.learned(LearnedRole.RNNPROP, w.withAlpha(0.05)).key(),
                "same tensors, another step bound: another optimizer");
        assertNotEquals(key, Contender.learned(LearnedRole.RNNPROP_NO_SCALING, w).key());
        assertEquals(key, Contender.learned(LearnedRole.RNNPROP, Pretrained.load("rnnprop-untrained")).key());
    }

    @Test
    void thePaperTestsKeepTheirCacheVersionsAndTheNewTestsSayHowTheyDiffer() {
        // Pinned: adding tests beyond the paper must not invalidate hours of cached paper runs. Change these only
        // together with Suite.CACHE_VERSION, on purpose.
        assertEquals("e5ca123cd20c1594", Suite.cacheVersion(Experiments.byId("lstm-sine-100"),
                LstmSineTask.of(1, 0.1), null));
        Experiment longLstm = Experiments.byId("lstm-sine-2000");
        String d = Suite.definition(longLstm, LstmSineTask.of(1, 0.1), null);
        assertTrue(d.endsWith("; beyond the paper: init GAUSSIAN_0_1, batching IID"), d);
        assertEquals(Experiment.Group.BEYOND, longLstm.group());
        assertTrue(longLstm.protocol().cosine());
        assertTrue(Experiments.byId("mnist-sigmoid-10000").protocol().cosine(), "the long horizons get the cosine row");
        assertEquals("", Experiments.byId("mnist-sigmoid-10000").protocol().details(), "and keep their definition");
        assertFalse(Experiments.byId("mnist-sigmoid-100").protocol().cosine());
        Experiment lenet = Experiments.byId(Experiments.LENET5);
        assertEquals(938, lenet.steps(), "2 epochs of 469 minibatches");
        assertTrue(lenet.protocol().testAccuracy() && lenet.protocol().details().contains("EPOCHS")
                && lenet.protocol().details().contains("XAVIER_NORMAL"), lenet.protocol().toString());
        assertEquals(10, lenet.runs());
        assertEquals(20, Experiments.byId("mnist-relu128-1000").runs());
        assertEquals(100, Experiments.byId("mnist-relu-100").runs(), "the paper tests' rule is unchanged");
    }
}
