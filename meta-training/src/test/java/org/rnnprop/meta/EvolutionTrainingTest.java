package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.pretrained.Pretrained;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.optim.AlphaSchedule;

/** The long-horizon recipe trained by evolution strategies: iterations, checkpoints, settings and blow-ups. */
class EvolutionTrainingTest {
    private static final List<String> SUBSPACE = List.of("output/kernel", "output/bias");

    private static TrainingConfig config() {
        return TrainingConfig.paper(Recipe.RNNPROP_LONG, 3).withSteps(100, 4).withMetaLearningRate(1e-3)
                .withLongHorizon(new LongHorizon(new int[] {4, 8}, 1, 50, 10, 1, 8, 0, 0.01)
                        .withEvolution(2, 0.05, SUBSPACE))
                .withMetaGradient(MetaGradientMethod.ES);
    }

    private static MetaTrainer trainer(TrainingConfig config, MlpTask base, NDManager m) throws IOException {
        MetaTrainer t = new MetaTrainer(config, base, Pretrained.load("rnnprop"));
        t.useFamily(new TaskFamily(base, CheckpointResumeTest.tinyImages(), m, config));
        return t;
    }

    @Test
    void iterationsTrainOnlyTheSubspaceAndResumeExactly(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer straight = trainer(config(), base, m);
            MetaTrainer first = trainer(config(), base, m);
            Map<String, float[]> start = straight.network();
            for (int i = 0; i < 2; i++) {
                MetaTrainer.IterationResult a = straight.runIteration(m);
                first.runIteration(m);
                assertTrue(a.trajectory().startsWith("4 steps, 2 pairs: "), a.trajectory());
                // two pairs of two 4-step runs, unless one blew up
                assertTrue(a.stepsRun() <= 4 * 4 && a.stepsRun() > 0, a.stepsRun() + " steps");
                assertEquals(a.stepsRun() < 4 * 4, a.trajectory().contains("ended early"), a.trajectory());
                assertTrue(Double.isFinite(a.metaLoss()) && Double.isFinite(a.largestGradientNorm()));
            }
            Map<String, float[]> trained = straight.network();
            for (String name : start.keySet()) {
                boolean moved = !java.util.Arrays.equals(start.get(name), trained.get(name));
                assertEquals(SUBSPACE.contains(name), moved, name);
            }

            Path file = dir.resolve("es.json");
            Checkpoint.write(first, new Checkpoint.Stats(), file);
            assertEquals(config(), Checkpoint.readConfig(file));
            MetaTrainer resumed = Checkpoint.read(file, base, new Checkpoint.Stats());
            resumed.useFamily(new TaskFamily(base, CheckpointResumeTest.tinyImages(), m, config()));
            straight.runIteration(m);
            resumed.runIteration(m);
            assertEquals(straight.weights(Checkpoint.placeholder()).tensors(),
                    resumed.weights(Checkpoint.placeholder()).tensors(), "resumed run differs");
        }
    }

    @Test
    void checkpointsFromBeforeEvolutionStrategiesReadWithTheDefaults(@TempDir Path dir) throws IOException {
        TrainingConfig hand = config().withMetaGradient(MetaGradientMethod.HAND)
                .withLongHorizon(config().longHorizon().withEvolution(LongHorizon.DEFAULT_ES_PAIRS,
                        LongHorizon.DEFAULT_ES_SIGMA, List.of()));
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            Path file = dir.resolve("hand.json");
            Checkpoint.write(new MetaTrainer(hand, base), new Checkpoint.Stats(), file);
            String text = Files.readString(file);
            String json = text.substring(0, text.indexOf(",\"sha256\"")).replace("\"checkpointVersion\":2",
                    "\"checkpointVersion\":1").replaceAll(",\"esPairs\":[0-9]+,\"esSigma\":[0-9.eE-]+,"
                            + "\"esTensors\":\\[\\]", "").replace(",\"alphaSchedule\":\"CONSTANT\"", "") + "}";
            assertFalse(json.contains("esPairs") || json.contains("esTensors") || json.contains("alphaSchedule"),
                    "fields not removed");
            Path old = dir.resolve("old.json");
            Files.writeString(old, json);
            assertEquals(hand, Checkpoint.readConfig(old));
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedByName() {
        IllegalArgumentException paper = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.paper(Recipe.RNNPROP, 1).withMetaGradient(MetaGradientMethod.ES));
        assertTrue(paper.getMessage().contains("rnnprop-long"), paper.getMessage());
        TrainingConfig unknown = config().withLongHorizon(config().longHorizon().withEvolution(2, 0.01,
                List.of("output/kernel", "lstm3/bias")));
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MetaTrainer(unknown, base));
            assertTrue(e.getMessage().contains("lstm3/bias") && e.getMessage().contains("lstm2/bias"),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> config().longHorizon().withEvolution(0, 0.01, List.of()));
        assertThrows(IllegalArgumentException.class, () -> config().longHorizon().withEvolution(2, 0, List.of()));
    }

    @Test
    void aCosineRunScalesEachUpdateByTheUsersCosineAndIsSavedWithTheRun(@TempDir Path dir) throws IOException {
        OptimizerWeights weights = Pretrained.load("rnnprop");
        try (NDManager m = NDManager.newBaseManager(); StepKernel kernel = StepKernels.best(weights, 1)) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            KernelTrajectory plain = new KernelTrajectory(base, weights, m, new Rng(5));
            KernelTrajectory cosine = new KernelTrajectory(base, weights, m, new Rng(5));
            cosine.scaleAlpha(AlphaSchedule.COSINE.over(10));
            float[] start = plain.theta().clone();
            plain.step(kernel, new Rng(6));
            cosine.step(kernel, new Rng(6));
            // the same first gradient and state, so the first update differs by the schedule's factor alone
            double factor = 0.01 + 0.99 * (1 + Math.cos(Math.PI / 10)) / 2;
            for (int i = 0; i < start.length; i++) {
                assertEquals(factor * (start[i] - plain.theta()[i]), start[i] - cosine.theta()[i], 1e-7, "theta " + i);
            }
            WholeTrajectory a = WholeTrajectory.run(kernel, weights, base, 12, AlphaSchedule.CONSTANT, 10, 20,
                    new Rng(1), m);
            WholeTrajectory b = WholeTrajectory.run(kernel, weights, base, 12, AlphaSchedule.COSINE, 10, 20,
                    new Rng(1), m);
            assertNotEquals(a.meanLogLoss(), b.meanLogLoss());
        }

        TrainingConfig cos = config().withLongHorizon(config().longHorizon().withAlphaSchedule(AlphaSchedule.COSINE));
        assertTrue(cos.longHorizon().toString().contains("cosine"), cos.longHorizon().toString());
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            Path file = dir.resolve("cos.json");
            Checkpoint.write(trainer(cos, base, m), new Checkpoint.Stats(), file);
            assertEquals(cos, Checkpoint.readConfig(file));
            MetaTrainer resumed = Checkpoint.read(file, base, new Checkpoint.Stats());
            resumed.useFamily(new TaskFamily(base, CheckpointResumeTest.tinyImages(), m, cos));
            MetaTrainer.IterationResult r = resumed.runIteration(m);
            assertTrue(Double.isFinite(r.metaLoss()), r.trajectory());
        }
        IllegalArgumentException hand = assertThrows(IllegalArgumentException.class,
                () -> cos.withMetaGradient(MetaGradientMethod.HAND));
        assertTrue(hand.getMessage().contains("cosine") && hand.getMessage().contains("es"), hand.getMessage());
    }

    @Test
    void aRunThatBlowsUpStopsAndItsRestCountsAtThePenalty() throws IOException {
        OptimizerWeights weights = Pretrained.load("rnnprop");
        try (NDManager m = NDManager.newBaseManager(); StepKernel kernel = StepKernels.best(weights, 1)) {
            // loss 1 for three steps, then 100: above 10 times the first
            WholeTrajectory run = WholeTrajectory.run(kernel, weights, new SampledPeriodTest.ExplodingTask(3), 10,
                    AlphaSchedule.CONSTANT, 10, 20, new Rng(1), m);
            assertEquals(3, run.steps());
            assertEquals(20, run.finalLoss(), 1e-12);
            assertEquals(7 * Math.log(20) / 10, run.meanLogLoss(), 1e-12);
            WholeTrajectory calm = WholeTrajectory.run(kernel, weights, new SampledPeriodTest.ExplodingTask(100),
                    10, AlphaSchedule.CONSTANT, 10, 20, new Rng(1), m);
            assertArrayEquals(new double[] {10, 1, 0}, new double[] {calm.steps(), calm.finalLoss(),
                    calm.meanLogLoss()}, 1e-12);
        }
    }
}
