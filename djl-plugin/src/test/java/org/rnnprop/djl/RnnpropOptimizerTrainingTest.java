package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The optimizer in ordinary DJL training: EasyTrain, a hand-written loop, and a worker thread. */
class RnnpropOptimizerTrainingTest {

    @ParameterizedTest
    @ValueSource(strings = {"rnnprop-untrained", "dm-optimizer-untrained"})
    void easyTrainFitRunsAndMovesParameters(String pretrained) throws Exception {
        float[][] data = TestModels.data(128, 7);
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained(pretrained).build();
                Model model = Model.newInstance("fit");
                NDManager manager = NDManager.newBaseManager();
                Trainer trainer = TestModels.classifierTrainer(model,
                        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(opt)
                                .addTrainingListeners(TrainingListener.Defaults.basic()), 1)) {
            ArrayDataset dataset = new ArrayDataset.Builder()
                    .setData(manager.create(data[0], new Shape(128, 4)))
                    .optLabels(manager.create(data[1], new Shape(128)))
                    .setSampling(32, false)
                    .build();
            List<float[]> before = TestModels.parameters(model);
            EasyTrain.fit(trainer, 3, dataset, null);
            List<float[]> after = TestModels.parameters(model);
            for (int i = 0; i < before.size(); i++) {
                assertFalse(Arrays.equals(before.get(i), after.get(i)), "parameter " + i + " did not change");
                for (float v : after.get(i)) {
                    assertTrue(Float.isFinite(v), "parameter " + i + " not finite");
                }
            }
            float loss = trainer.getTrainingResult().getTrainLoss();
            assertTrue(Float.isFinite(loss), "training loss " + loss);
            // 128 samples / 32 per batch * 3 epochs.
            assertEquals(12, opt.stepCount(model.getBlock().getParameters().valueAt(0).getId()));
        }
    }

    @Test
    void handWrittenLoopWithGradientCollector() {
        float[][] data = TestModels.data(64, 8);
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").build();
                Model model = Model.newInstance("loop");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 2)) {
            List<float[]> before = TestModels.parameters(model);
            for (int step = 0; step < 20; step++) {
                float loss = TestModels.trainStep(trainer, data[0], data[1]);
                assertTrue(Float.isFinite(loss), "loss at step " + step);
                assertEquals(0.0, TestModels.gradientMass(model));
            }
            List<float[]> after = TestModels.parameters(model);
            for (int i = 0; i < before.size(); i++) {
                assertFalse(Arrays.equals(before.get(i), after.get(i)), "parameter " + i + " did not change");
            }
        }
    }

    /** PyTorch refuses in-place changes of a leaf off the thread that started the engine; we do not. */
    @Test
    void workerThreadTrainsExactlyLikeTheMainThread() throws Exception {
        List<float[]> onMain = trainTenSteps();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            List<float[]> onWorker = worker.submit(RnnpropOptimizerTrainingTest::trainTenSteps).get();
            for (int i = 0; i < onMain.size(); i++) {
                assertArrayEquals(onMain.get(i), onWorker.get(i), "parameter " + i);
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private static List<float[]> trainTenSteps() {
        float[][] data = TestModels.data(32, 9);
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").build();
                Model model = Model.newInstance("thread");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 4)) {
            List<float[]> before = TestModels.parameters(model);
            for (int step = 0; step < 10; step++) {
                TestModels.trainStep(trainer, data[0], data[1]);
            }
            List<float[]> after = TestModels.parameters(model);
            assertFalse(Arrays.equals(before.get(0), after.get(0)));
            return after;
        }
    }
}
