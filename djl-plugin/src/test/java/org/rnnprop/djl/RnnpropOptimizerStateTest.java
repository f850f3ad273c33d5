package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;

/** Saving and restoring the optimizer's state: exact resumption, and refusal of state that does not fit. */
class RnnpropOptimizerStateTest {
    private static final int K = 7;
    private static final int M = 5;

    private static RnnpropOptimizer optimizer(String pretrained) {
        return RnnpropOptimizer.builder().optPretrained(pretrained).build();
    }

    private static RnnpropOptimizer optimizer(String pretrained, RnnpropOptimizer.Kernel kernel) {
        return RnnpropOptimizer.builder().optPretrained(pretrained).optKernel(kernel).build();
    }

    /** Small chunks: state moves in and out of the native arrays in pieces, the last one shorter. */
    private static RnnpropOptimizer chunked(String pretrained) {
        return RnnpropOptimizer.builder().optPretrained(pretrained).optChunkSize(3).build();
    }

    /** Distinct batches, so that a resumed run that replayed or skipped a step would show. */
    private static float[][] batch(int step) {
        return TestModels.data(16, 100 + step);
    }

    /** Trains K + M steps without a stop, on {@code kernel}; returns the parameters. */
    private static List<float[]> uninterrupted(String pretrained, RnnpropOptimizer.Kernel kernel) throws Exception {
        try (RnnpropOptimizer opt = optimizer(pretrained, kernel);
                Model model = Model.newInstance("run");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 21)) {
            for (int s = 0; s < K + M; s++) {
                TestModels.trainStep(trainer, batch(s)[0], batch(s)[1]);
            }
            return TestModels.parameters(model);
        }
    }

    /**
     * Trains K steps on {@code first}, saves model and optimizer state, restores both into a fresh model and an
     * optimizer on {@code second}, and trains M more; returns the parameters.
     */
    private static List<float[]> resumed(String pretrained, RnnpropOptimizer.Kernel first,
            RnnpropOptimizer.Kernel second, Path dir) throws Exception {
        Path state = dir.resolve("optimizer.state");
        try (RnnpropOptimizer opt = optimizer(pretrained, first);
                Model model = Model.newInstance("run");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 21)) {
            for (int s = 0; s < K; s++) {
                TestModels.trainStep(trainer, batch(s)[0], batch(s)[1]);
            }
            model.save(dir, "run");
            opt.saveState(state, model.getBlock());
        }
        // A fresh model (other parameter ids) and a fresh optimizer.
        try (RnnpropOptimizer opt = optimizer(pretrained, second);
                Model model = Model.newInstance("run");
                Trainer trainer = TestModels.loadedClassifierTrainer(model, opt, dir, "run")) {
            opt.loadState(state, model.getBlock());
            assertEquals(K, opt.stepCount(model.getBlock().getParameters().valueAt(0).getId()));
            for (int s = K; s < K + M; s++) {
                TestModels.trainStep(trainer, batch(s)[0], batch(s)[1]);
            }
            assertEquals(K + M, opt.stepCount(model.getBlock().getParameters().valueAt(0).getId()));
            return TestModels.parameters(model);
        }
    }

    /**
     * State saved by one kernel restores under the other, which continues as the first would have: the parameters
     * after M more steps agree with an uninterrupted run on the first kernel to 1e-6 (the kernels differ in the
     * last bits of every step).
     */
    @ParameterizedTest
    @CsvSource({"rnnprop-untrained, ND, CORE", "rnnprop-untrained, CORE, ND", "dm-optimizer-untrained, ND, CORE",
        "dm-optimizer-untrained, CORE, ND"})
    void stateSavedByOneKernelContinuesUnderTheOther(String pretrained, RnnpropOptimizer.Kernel first,
            RnnpropOptimizer.Kernel second, @TempDir Path dir) throws Exception {
        List<float[]> expected = uninterrupted(pretrained, first);
        List<float[]> resumed = resumed(pretrained, first, second, dir);
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals(expected.get(i), resumed.get(i), 1e-6f, "parameter " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"rnnprop-untrained, ND", "rnnprop-untrained, CORE", "dm-optimizer-untrained, ND",
        "dm-optimizer-untrained, CORE"})
    void stoppedRunResumesBitIdenticallyOnTheSameKernel(String pretrained, RnnpropOptimizer.Kernel kernel,
            @TempDir Path dir) throws Exception {
        List<float[]> expected = uninterrupted(pretrained, kernel);
        List<float[]> resumed = resumed(pretrained, kernel, kernel, dir);
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals(expected.get(i), resumed.get(i), "parameter " + i);
        }
    }

    @Test
    void streamRoundTripKeyedByNames() throws Exception {
        try (RnnpropOptimizer opt = optimizer("rnnprop-untrained");
                Model model = Model.newInstance("rt");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 5);
                RnnpropOptimizer copy = chunked("rnnprop-untrained")) {
            TestModels.trainStep(trainer, batch(0)[0], batch(0)[1]);
            TestModels.trainStep(trainer, batch(1)[0], batch(1)[1]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            opt.saveState(out, model.getBlock());
            // Same names under made-up ids, as a later run would have.
            Map<String, String> ids = RnnpropOptimizer.parameterNames(model.getBlock());
            Map<String, String> renamed = new java.util.HashMap<>();
            ids.forEach((id, name) -> renamed.put("new-" + id, name));
            copy.loadState(new ByteArrayInputStream(out.toByteArray()), "memory", renamed);
            for (String id : ids.keySet()) {
                assertArrayEquals(opt.stateRows(id), copy.stateRows("new-" + id));
                assertEquals(2, copy.stepCount("new-" + id));
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            copy.saveState(again, renamed);
            assertArrayEquals(out.toByteArray(), again.toByteArray());
            // Stepping from the restored state: the chunked copy fills its native state 3 coordinates at a time
            // and reads it back the same way; it must step as the original does (up to the chunked arithmetic).
            try (NDManager m = NDManager.newBaseManager()) {
                for (Parameter p : model.getBlock().getParameters().values()) {
                    NDArray original = p.getArray().duplicate();
                    NDArray restored = p.getArray().duplicate();
                    NDArray g = p.getArray().mul(0.1f).add(0.01f);
                    m.attachAll(original, restored, g);
                    opt.update(p.getId(), original, g);
                    copy.update("new-" + p.getId(), restored, g);
                    assertEquals(3, copy.stepCount("new-" + p.getId()));
                    assertArrayEquals(original.toFloatArray(), restored.toFloatArray(), 1e-6f, p.getName());
                    assertArrayEquals(opt.stateRows(p.getId()), copy.stateRows("new-" + p.getId()), 1e-5f,
                            p.getName());
                }
            }
        }
    }

    @Test
    void refusesStateThatDoesNotFit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rnnprop.state");
        try (RnnpropOptimizer opt = optimizer("rnnprop-untrained");
                Model model = Model.newInstance("refuse");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 5)) {
            TestModels.trainStep(trainer, batch(0)[0], batch(0)[1]);
            opt.saveState(file, model.getBlock());

            try (RnnpropOptimizer dm = optimizer("dm-optimizer-untrained")) {
                assertRefused(() -> dm.loadState(file, model.getBlock()), file, "kind");
            }
            try (RnnpropOptimizer other = RnnpropOptimizer.builder()
                    .optWeights(GoldenFixture.load(OptimizerKind.RNNPROP).weights()).build()) {
                assertRefused(() -> other.loadState(file, model.getBlock()), file, "weights");
                // the saved state came from shipped weights: the message names them, for a moved alias
                StateFileException e = assertThrows(StateFileException.class,
                        () -> other.loadState(file, model.getBlock()));
                assertTrue(e.getMessage().contains("the shipped 'rnnprop-untrained'")
                        && e.getMessage().contains("optPretrained(\"rnnprop-untrained\")"), e.getMessage());
            }
            try (Model otherModel = Model.newInstance("other");
                    Trainer otherTrainer = TestModels.thetaTrainer(otherModel, 5, opt)) {
                assertRefused(() -> opt.loadState(file, otherModel.getBlock()), file, "parameters[0]");
            }

            byte[] bytes = Files.readAllBytes(file);
            Path truncated = dir.resolve("truncated.state");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 20));
            assertRefused(() -> opt.loadState(truncated, model.getBlock()), truncated, "truncated");
            Path flipped = dir.resolve("flipped.state");
            byte[] changed = bytes.clone();
            changed[bytes.length / 2] ^= 1;
            Files.write(flipped, changed);
            assertRefused(() -> opt.loadState(flipped, model.getBlock()), flipped, "crc32");
            Path notState = dir.resolve("weights.json");
            Files.writeString(notState, "{}");
            assertRefused(() -> opt.loadState(notState, model.getBlock()), notState, "magic");
        }
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable load, Path file, String field) {
        StateFileException e = assertThrows(StateFileException.class, load);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(field), e.getMessage());
    }
}
