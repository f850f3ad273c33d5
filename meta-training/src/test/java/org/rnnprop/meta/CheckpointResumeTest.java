package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.tasks.MlpTask;

/** A run stopped and resumed from its checkpoint ends with exactly the weights of an uninterrupted run. */
class CheckpointResumeTest {

    private static TrainingConfig tiny(Recipe recipe) {
        return TrainingConfig.paper(recipe, 7).withSteps(6, 3).withMetaLearningRate(1e-3);
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
        for (Recipe recipe : new Recipe[] {Recipe.RNNPROP, Recipe.DM_OPTIMIZER}) {
            try (NDManager m = NDManager.newBaseManager()) {
                MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
                MetaTrainer straight = new MetaTrainer(tiny(recipe), base);
                for (int i = 0; i < 5; i++) {
                    straight.runIteration(m);
                }
                MetaTrainer first = new MetaTrainer(tiny(recipe), base);
                for (int i = 0; i < 3; i++) {
                    first.runIteration(m);
                }
                Checkpoint.Stats stats = new Checkpoint.Stats();
                stats.ema = 1.25;
                stats.seconds = 3;
                Path file = dir.resolve(recipe.id() + ".json");
                Checkpoint.write(first, stats, file);
                Checkpoint.Stats restored = new Checkpoint.Stats();
                MetaTrainer resumed = Checkpoint.read(file, base, restored);
                assertEquals(3, resumed.iteration());
                assertEquals(1.25, restored.ema);
                assertEquals(tiny(recipe), resumed.config());
                resumed.runIteration(m);
                resumed.runIteration(m);
                OptimizerWeights a = straight.weights(Checkpoint.placeholder());
                OptimizerWeights b = resumed.weights(Checkpoint.placeholder());
                assertEquals(a.tensors(), b.tensors(), recipe.id() + ": resumed run differs");
                assertNotEquals(new MetaTrainer(tiny(recipe), base).weights(Checkpoint.placeholder()).tensors(),
                        a.tensors(), "training must have changed the weights");
            }
        }
    }

    /** Tiny images that every CNN of the family accepts: 1x4x4, ten classes. */
    static org.rnnprop.datasets.LabeledImages tinyImages() {
        org.rnnprop.tasks.Rng r = new org.rnnprop.tasks.Rng(6);
        int n = 40;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        return new org.rnnprop.datasets.LabeledImages(r.uniform(n * 16, 0, 1), y, 1, 4, 4, 10);
    }

    @Test
    void longHorizonRunResumesExactlyWithItsCurriculum(@TempDir Path dir) throws IOException {
        TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP_LONG, 3).withSteps(100, 4)
                .withMetaLearningRate(1e-3)
                .withLongHorizon(new LongHorizon(new int[] {4, 8, 12}, 1, 50, 10, 1, 8, 0.5, 0.01));
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            TaskFamily family = new TaskFamily(base, tinyImages(), m, config);
            MetaTrainer straight = new MetaTrainer(config, base);
            straight.useFamily(family);
            MetaTrainer first = new MetaTrainer(config, base);
            first.useFamily(family);
            for (int i = 0; i < 3; i++) {
                straight.runIteration(m);
                first.runIteration(m);
            }
            straight.curriculum().record(0.5, 2, straight.network());
            straight.curriculum().record(0.6, 2, straight.network()); // patience 1: advance to stage 1
            straight.restoreNetwork(straight.curriculum().restartNetwork());
            first.curriculum().record(0.5, 2, first.network());
            first.curriculum().record(0.6, 2, first.network());
            first.restoreNetwork(first.curriculum().restartNetwork());
            Path file = dir.resolve("long.json");
            Checkpoint.write(first, new Checkpoint.Stats(), file);
            MetaTrainer resumed = Checkpoint.read(file, base, new Checkpoint.Stats());
            resumed.useFamily(family);
            assertEquals(config, resumed.config());
            assertEquals(1, resumed.curriculum().stage());
            for (int i = 0; i < 2; i++) {
                MetaTrainer.IterationResult a = straight.runIteration(m);
                MetaTrainer.IterationResult b = resumed.runIteration(m);
                assertEquals(a.trajectory(), b.trajectory());
                assertTrue(a.trajectory().startsWith("8 steps"), a.trajectory());
            }
            assertEquals(straight.weights(Checkpoint.placeholder()).tensors(),
                    resumed.weights(Checkpoint.placeholder()).tensors(), "resumed run differs");
        }
    }

    @Test
    void ablationSettingsSurviveACheckpointAndOlderCheckpointsTakeTheRecipesOwn(@TempDir Path dir)
            throws IOException {
        LongHorizon ablated = LongHorizon.defaults().withAblation(Recipe.Objective.LAST_LOSS,
                LongHorizon.Optimizees.BASE_MLP);
        TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP_LONG, 3).withLongHorizon(ablated);
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            Path file = dir.resolve("ablated.json");
            Checkpoint.write(new MetaTrainer(config, base), new Checkpoint.Stats(), file);
            assertEquals(config, Checkpoint.readConfig(file));

            // A checkpoint written before the two fields existed (version 1: no checksum to redo): the recipe's
            // objective, the whole family.
            String text = Files.readString(file);
            String json = text.substring(0, text.indexOf(",\"sha256\"")).replace("\"checkpointVersion\":2",
                    "\"checkpointVersion\":1").replace(",\"objective\":\"LAST_LOSS\"", "")
                    .replace(",\"optimizees\":\"BASE_MLP\"", "") + "}";
            assertTrue(!json.contains("BASE_MLP") && !json.contains("LAST_LOSS"), "fields not removed");
            Path old = dir.resolve("old.json");
            Files.writeString(old, json);
            LongHorizon read = Checkpoint.readConfig(old).longHorizon();
            assertEquals(Recipe.Objective.MEAN_LOG_LOSS, read.objective());
            assertEquals(LongHorizon.Optimizees.FAMILY, read.optimizees());
        }
    }

    @Test
    void truncatedCheckpointGivesAClearError(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer t = new MetaTrainer(tiny(Recipe.RNNPROP), base);
            Path file = dir.resolve("checkpoint.json");
            Checkpoint.write(t, new Checkpoint.Stats(), file);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file, base, new Checkpoint.Stats()));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void logsAreCutBackToTheCheckpointIncludingATornLine(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Files.writeString(run.log(), RunDirectory.LOG_HEADER + "\n0,1,1,1,0,1\n1,1,1,1,0,2\n2,1,1,1,0,3\n3,1,1");
        Files.writeString(run.validationLog(), RunDirectory.VALIDATION_HEADER + "\n1,2,1,1,0,0,0\n3,2,1,1,0,0,0\n");
        run.truncateLogs(2);
        List<double[]> rows = RunDirectory.readCsv(run.log());
        assertEquals(2, rows.size());
        assertEquals(1, rows.get(1)[0]);
        assertEquals(1, RunDirectory.readCsv(run.validationLog()).size());
    }

    @Test
    void logRowsFromBeforeTheGradientNormColumnResumeWithNaNInIt(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Files.writeString(run.log(), "iteration,meta_loss,final_loss,ema,skipped_updates,seconds\n0,1,1,1,0,1\n");
        run.truncateLogs(5);
        assertEquals(RunDirectory.LOG_HEADER, Files.readAllLines(run.log()).get(0));
        double[] row = RunDirectory.readCsv(run.log()).get(0);
        assertEquals(RunDirectory.LOG_HEADER.split(",").length, row.length);
        assertEquals(1, row[5]);
        assertTrue(Double.isNaN(row[6]));
    }
}
