package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.Rng;

/** The long-horizon family draws every kind of optimizee it promises, the same ones for the same stream. */
class TaskFamilyTest {

    @Test
    void drawsCoverTheFamilyAndRepeatForTheSameStream() {
        TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP_LONG, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            TaskFamily family = new TaskFamily(base, CheckpointResumeTest.tinyImages(), m, config);
            Set<String> words = new HashSet<>();
            int cnn = 0;
            int minWidth = Integer.MAX_VALUE;
            int maxWidth = 0;
            for (int i = 0; i < 400; i++) {
                String d = family.draw(Rng.of(1, i)).description();
                assertEquals(d, family.draw(Rng.of(1, i)).description());
                words.addAll(Set.of(d.split(" ")));
                if (d.startsWith("cnn")) {
                    cnn++;
                } else {
                    int width = Integer.parseInt(d.split(" ")[1].split("x")[1]);
                    minWidth = Math.min(minWidth, width);
                    maxWidth = Math.max(maxWidth, width);
                }
            }
            for (String w : new String[] {"sigmoid", "relu", "tanh", "elu", "gauss", "glorot", "+scaling", "+convex",
                "conv8-pool-fc10", "1x", "2x", "3x"}) {
                assertTrue(words.stream().anyMatch(x -> x.startsWith(w)), w + " never drawn: " + words);
            }
            assertTrue(cnn > 30 && cnn < 90, cnn + " CNNs of 400, expected about 60");
            assertTrue(minWidth >= TaskFamily.MIN_WIDTH && minWidth < 25, "narrowest " + minWidth);
            assertTrue(maxWidth <= TaskFamily.MAX_WIDTH && maxWidth > 200, "widest " + maxWidth);
        }
    }

    @Test
    void baseMlpAblationDrawsOnlyTheBaseNetworkWithTheTricks() {
        TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP_LONG, 1).withLongHorizon(
                LongHorizon.defaults().withAblation(Recipe.Objective.LAST_LOSS, LongHorizon.Optimizees.BASE_MLP));
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            TaskFamily family = new TaskFamily(base, CheckpointResumeTest.tinyImages(), m, config);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                TaskFamily.Draw d = family.draw(Rng.of(1, i));
                assertTrue(d.description().startsWith("base mlp"), d.description());
                seen.add(d.description());
                if (d.description().equals("base mlp")) {
                    assertSame(base, d.task());
                }
            }
            assertEquals(Set.of("base mlp", "base mlp +scaling", "base mlp +convex", "base mlp +scaling +convex"),
                    seen);
            assertEquals(Recipe.Objective.LAST_LOSS, config.objective());
        }
    }
}
