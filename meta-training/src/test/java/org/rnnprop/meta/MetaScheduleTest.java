package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.tasks.MlpTask;

/** Meta-gradient clipping, and changing the meta-learning rate or clipping of a run when it resumes. */
class MetaScheduleTest {

    @Test
    void clippingScalesOnlyLargeGradientsAndKeepsTheirDirection() {
        Map<String, float[]> g = new LinkedHashMap<>();
        g.put("a", new float[] {3, 0});
        g.put("b", new float[] {4});
        double norm = MetaTrainer.norm(g);
        assertEquals(5, norm, 1e-12);
        assertSame(g, MetaTrainer.clipped(g, norm, 0), "0 means no clipping");
        assertSame(g, MetaTrainer.clipped(g, norm, 5), "a gradient at the norm is not touched");
        Map<String, float[]> c = MetaTrainer.clipped(g, norm, 1);
        assertEquals(1, MetaTrainer.norm(c), 1e-6);
        assertArrayEquals(new float[] {0.6f, 0}, c.get("a"), 1e-7f);
        assertArrayEquals(new float[] {0.8f}, c.get("b"), 1e-7f);
        assertArrayEquals(new float[] {3, 0}, g.get("a"), "the input is not modified");
    }

    @Test
    void clippingIsPartOfTheRunAndChangesTheTraining(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            TrainingConfig plain = TrainingConfig.paper(Recipe.RNNPROP, 3).withSteps(6, 3).withMetaLearningRate(1e-2);
            MetaTrainer free = new MetaTrainer(plain, base);
            MetaTrainer clipped = new MetaTrainer(plain.withMetaGradientClip(1e-6), base);
            for (int i = 0; i < 3; i++) {
                free.runIteration(m);
                clipped.runIteration(m);
            }
            assertNotEquals(free.weights(Checkpoint.placeholder()).tensors(),
                    clipped.weights(Checkpoint.placeholder()).tensors(), "a tiny clipping norm changes the updates");
            Path file = dir.resolve("checkpoint.json");
            Checkpoint.write(clipped, new Checkpoint.Stats(), file);
            assertEquals(1e-6, Checkpoint.readConfig(file).metaGradientClip());
        }
    }

    @Test
    void checkpointsFromBeforeClippingResumeWithoutIt(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer t = new MetaTrainer(TrainingConfig.paper(Recipe.RNNPROP, 3).withSteps(6, 3), base);
            Path file = dir.resolve("checkpoint.json");
            Checkpoint.write(t, new Checkpoint.Stats(), file);
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(file.toFile());
            ((ObjectNode) root.get("config")).remove("metaGradientClip");
            root.remove("sha256"); // those checkpoints were version 1: no checksum
            root.put("checkpointVersion", 1);
            json.writeValue(file.toFile(), root);
            assertEquals(0, Checkpoint.readConfig(file).metaGradientClip());
        }
    }

    @Test
    void aResumedRunCanContinueAtAnotherRateKeepingItsMoments(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer t = new MetaTrainer(TrainingConfig.paper(Recipe.RNNPROP, 3).withSteps(6, 3)
                    .withMetaLearningRate(1e-3), base);
            t.runIteration(m);
            long updates = t.adam().step();
            t.changeSchedule(1e-4, 2.5);
            assertEquals(1e-4, t.config().metaLearningRate());
            assertEquals(2.5, t.config().metaGradientClip());
            assertEquals(updates, t.adam().step(), "meta-Adam keeps its step count and moments");
            Path file = dir.resolve("checkpoint.json");
            Checkpoint.write(t, new Checkpoint.Stats(), file);
            assertEquals(t.config(), Checkpoint.readConfig(file));
            assertThrows(IllegalArgumentException.class, () -> t.changeSchedule(1e-4, -1));
            assertTrue(t.config().metaGradientClip() == 2.5, "a rejected change leaves the run as it was");
        }
    }
}
