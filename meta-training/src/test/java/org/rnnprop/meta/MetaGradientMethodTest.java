package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.Tensor;
import org.rnnprop.tasks.MlpTask;
import picocli.CommandLine;

/**
 * The two meta-gradient methods train the same run: from one checkpoint, iterations on the hand-written path
 * follow those of the autograd reference to float rounding. The method is part of the checkpoint, and
 * checkpoints written before it existed continue on the hand-written path.
 */
class MetaGradientMethodTest {

    private static TrainingConfig tiny(Recipe recipe) {
        return TrainingConfig.paper(recipe, 7).withSteps(6, 3).withMetaLearningRate(1e-3)
                .withMetaGradient(MetaGradientMethod.AUTOGRAD);
    }

    @ParameterizedTest
    @EnumSource(value = Recipe.class, names = {"RNNPROP", "DM_OPTIMIZER"})
    void bothMethodsContinueACheckpointAlike(Recipe recipe, @TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer first = new MetaTrainer(tiny(recipe), base);
            for (int i = 0; i < 3; i++) {
                first.runIteration(m); // meta-Adam's moments filled by the reference path
            }
            Path file = dir.resolve("checkpoint.json");
            Checkpoint.write(first, new Checkpoint.Stats(), file);
            Map<String, Tensor> start = first.weights(Checkpoint.placeholder()).tensors();
            MetaTrainer autograd = Checkpoint.read(file, base, new Checkpoint.Stats());
            MetaTrainer hand = Checkpoint.read(file, base, new Checkpoint.Stats());
            hand.useMetaGradient(MetaGradientMethod.HAND);
            for (int i = 0; i < 3; i++) {
                MetaTrainer.IterationResult a = autograd.runIteration(m);
                MetaTrainer.IterationResult h = hand.runIteration(m);
                assertEquals(a.metaLoss(), h.metaLoss(), 1e-5 * Math.abs(a.metaLoss()), "meta-loss, iteration " + i);
                assertEquals(a.largestGradientNorm(), h.largestGradientNorm(), 1e-3 * a.largestGradientNorm(),
                        "meta-gradient norm, iteration " + i);
            }
            double moved = distance(start, autograd.weights(Checkpoint.placeholder()).tensors());
            double apart = distance(autograd.weights(Checkpoint.placeholder()).tensors(),
                    hand.weights(Checkpoint.placeholder()).tensors());
            assertTrue(moved > 0, "training must move the network");
            assertTrue(apart <= 1e-4 * moved, recipe.id() + ": the two runs moved the network by " + moved
                    + " and ended " + apart + " apart");
        }
    }

    @Test
    void theMethodIsKeptByTheCheckpointAndOldCheckpointsTakeTheHandWrittenPath(@TempDir Path dir)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            MetaTrainer t = new MetaTrainer(tiny(Recipe.RNNPROP), base);
            Path file = dir.resolve("checkpoint.json");
            Checkpoint.write(t, new Checkpoint.Stats(), file);
            assertEquals(MetaGradientMethod.AUTOGRAD, Checkpoint.readConfig(file).metaGradient());
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(file.toFile());
            ((ObjectNode) root.get("config")).remove("metaGradient");
            root.remove("sha256"); // as a version 1 checkpoint, written before checksums and the choice existed
            root.put("checkpointVersion", 1);
            json.writeValue(file.toFile(), root);
            MetaTrainer old = Checkpoint.read(file, base, new Checkpoint.Stats());
            assertEquals(MetaGradientMethod.HAND, old.config().metaGradient());
            old.runIteration(m);
            assertNotEquals(t.weights(Checkpoint.placeholder()).tensors(),
                    old.weights(Checkpoint.placeholder()).tensors(), "the resumed run trains");
        }
    }

    @Test
    void anUnknownMethodIsAUsageErrorNamingTheOption(@TempDir Path dir) {
        CommandLine cli = new CommandLine(new MetaTrainCli());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute("train", "--run-dir", dir.toString(), "--meta-gradient", "numeric"));
        assertTrue(err.toString().contains("--meta-gradient"), err.toString());
    }

    private static double distance(Map<String, Tensor> a, Map<String, Tensor> b) {
        double s = 0;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            float[] x = e.getValue().data();
            float[] y = b.get(e.getKey()).data();
            for (int i = 0; i < x.length; i++) {
                s += Math.pow((double) x[i] - y[i], 2);
            }
        }
        return Math.sqrt(s);
    }
}
