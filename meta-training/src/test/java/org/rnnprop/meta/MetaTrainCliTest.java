package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.pretrained.Pretrained;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.optim.AlphaSchedule;
import picocli.CommandLine;

/**
 * The train command refuses to resume into something other than the run that was meant, and its progress line
 * reports the current rate and the time left.
 */
class MetaTrainCliTest {

    private static int train(String... args) {
        return new CommandLine(new MetaTrainCli()).execute(args);
    }

    @Test
    void resumeWithoutACheckpointOrARecipeRefusesInsteadOfStartingTheDefaultRecipe(@TempDir Path dir)
            throws IOException {
        RunDirectory run = new RunDirectory(dir);
        run.recordCommand("meta-train train --run-dir " + dir + " --recipe dm-optimizer-with-tricks");
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--resume", "--no-progress", "--iterations", "1"));
        assertFalse(Files.exists(run.checkpoint()), "no run was started");
    }

    @Test
    void evolutionStrategiesOnAPaperRecipeAreRefusedBeforeAnythingStarts(@TempDir Path dir) {
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--recipe", "rnnprop", "--meta-gradient", "es",
                "--no-progress", "--iterations", "1"));
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--recipe", "rnnprop-long", "--meta-gradient",
                "es", "--es-pairs", "0", "--no-progress", "--iterations", "1"));
        assertFalse(Files.exists(new RunDirectory(dir).checkpoint()), "no run was started");
    }

    @Test
    void anAlphaScheduleNeedsEvolutionStrategiesAndANewRun(@TempDir Path dir) throws IOException {
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--recipe", "rnnprop-long", "--alpha-schedule",
                "cosine", "--no-progress", "--iterations", "1"));
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--recipe", "rnnprop-long", "--meta-gradient",
                "es", "--alpha-schedule", "linear", "--no-progress", "--iterations", "1"));
        assertFalse(Files.exists(new RunDirectory(dir).checkpoint()), "no run was started");
        Path started = dir.resolve("cosine");
        assertEquals(0, train("train", "--run-dir", started.toString(), "--recipe", "rnnprop-long", "--init",
                "rnnprop", "--meta-gradient", "es", "--es-pairs", "1", "--es-tensors", "output/bias",
                "--alpha-schedule", "cosine", "--optimizees", "base-mlp", "--curriculum", "20,40",
                "--curriculum-every", "1000", "--no-progress", "--iterations", "1"));
        assertEquals(AlphaSchedule.COSINE,
                Checkpoint.readConfig(new RunDirectory(started).checkpoint()).longHorizon().alphaSchedule());
        String commands = Files.readString(started.resolve("commands.txt"));
        assertTrue(commands.contains("(--init rnnprop = " + Pretrained.resolve("rnnprop") + ")"),
                "the run says which file the alias stood for: " + commands);
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            TrainingConfig es = TrainingConfig.paper(Recipe.RNNPROP_LONG, 3).withSteps(100, 4)
                    .withLongHorizon(new LongHorizon(new int[] {4, 8}, 1, 50, 10, 1, 8))
                    .withMetaGradient(MetaGradientMethod.ES);
            Checkpoint.write(new MetaTrainer(es, base), new Checkpoint.Stats(), new RunDirectory(dir).checkpoint());
        }
        String before = Files.readString(new RunDirectory(dir).checkpoint());
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--resume", "--alpha-schedule", "cosine",
                "--no-progress", "--iterations", "2"));
        assertEquals(before, Files.readString(new RunDirectory(dir).checkpoint()), "the run was left as it was");
    }

    @Test
    void resumeWithAnotherRecipeThanTheCheckpointsIsRefused(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer t = new MetaTrainer(TrainingConfig.paper(Recipe.RNNPROP, 3).withSteps(6, 3), base);
            Checkpoint.write(t, new Checkpoint.Stats(), new RunDirectory(dir).checkpoint());
        }
        assertEquals(2, train("train", "--run-dir", dir.toString(), "--resume", "--recipe", "dm-optimizer",
                "--no-progress", "--iterations", "1"));
    }

    @Test
    void progressLineGivesTheRateAndTheTimeLeftToTheTarget() {
        assertEquals("rnnprop iteration 7000 ema 0.5012 1.45 s/it ETA 1:12:30",
                MetaTrainCli.progressLine("rnnprop", 7000, 0.50123, 1.45, 3000));
        assertEquals("rnnprop iteration 10 ema 2.0000 0.50 s/it ETA 0:00:00",
                MetaTrainCli.progressLine("rnnprop", 10, 2.0, 0.5, 0));
        assertEquals("rnnprop iteration 10 ema 2.0000 0.50 s/it",
                MetaTrainCli.progressLine("rnnprop", 10, 2.0, 0.5, -1));
    }
}
