package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.pretrained.Pretrained;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.optim.AlphaSchedule;

/** The curriculum's forward-only validation: its score, its run-by-run losses and blown-up runs. */
class CurriculumValidationTest {

    @Test
    void scoreIsTheMeanOfTheRunsLogFinalLossesInAFixedOrder() throws IOException {
        OptimizerWeights weights = Pretrained.load("rnnprop");
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask base = new MlpTask(CheckpointResumeTest.tinyImages(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            List<TaskFamily.Draw> tasks = List.of(new TaskFamily.Draw(base, "tiny"),
                    new TaskFamily.Draw(base.variant(6, 2, MlpTask.Act.RELU,
                            org.rnnprop.tasks.ParameterInit.GLOROT_UNIFORM), "tiny relu"));
            int[] lengths = {5, 10};
            double[] logs = CurriculumValidation.logFinalLosses(weights, tasks, lengths, 3,
                    CurriculumValidation.SEED_BASE, AlphaSchedule.CONSTANT, m);
            assertEquals(12, logs.length);
            assertEquals(Arrays.stream(logs).average().orElseThrow(),
                    CurriculumValidation.score(weights, tasks, lengths, 3, AlphaSchedule.CONSTANT, m), 1e-12);
            assertArrayEquals(logs, CurriculumValidation.logFinalLosses(weights, tasks, lengths, 3,
                    CurriculumValidation.SEED_BASE, AlphaSchedule.CONSTANT, m), "runs must repeat exactly");
            double[] apart = CurriculumValidation.logFinalLosses(weights, tasks, lengths, 3, 11_000_000L,
                    AlphaSchedule.CONSTANT, m);
            assertFalse(Arrays.equals(logs, apart), "another seed range must give other runs");
        }
    }

    @Test
    void largeLossesCountAsTheyAreWithoutABlowUpRule() throws IOException {
        OptimizerWeights weights = Pretrained.load("rnnprop");
        try (NDManager m = NDManager.newBaseManager(); StepKernel kernel = StepKernels.best(weights)) {
            // losses 1, 1, then 100: no blow-up rule in validation, so the run goes on to its end
            assertEquals(100, CurriculumValidation.finalLoss(kernel, weights,
                    new TaskFamily.Draw(new SampledPeriodTest.ExplodingTask(2), "x"), 10, AlphaSchedule.CONSTANT,
                    new Rng(1), m), 1e-12);
        }
    }
}
