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
