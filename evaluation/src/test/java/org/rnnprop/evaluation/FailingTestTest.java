package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.datasets.Cifar10;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/**
 * A test that throws is reported as failed, never as skipped; the tests after it still run, the report is still
 * written, and the command's exit status is 1.
 */
class FailingTestTest {

    /** An optimizee that throws when a run draws its first minibatch (inside the suite's thread pool). */
    static final class BrokenTask implements Task {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public NDArray initialParameters(NDManager manager, Rng rng) {
            return manager.create(new float[] {0f});
        }

        @Override
        public Object sampleBatch(Rng rng) {
            throw new IllegalStateException("boom in the task");
        }

        @Override
        public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
            throw new IllegalStateException("boom in the task");
        }
    }

    static Experiment experiment(String id, Experiment.TaskFactory factory) {
        return new Experiment(id, "a broken test", Experiment.Group.LSTM, 2, Experiment.Dataset.NONE, 0,
                Baseline.ADAM, -10, factory);
    }

    @Test
    void aFailingTestIsSkippedWithItsReasonAndTheOthersStillRun(@TempDir Path dir) throws Exception {
        Suite.Settings settings = new Suite.Settings(true, 1, 1, 2, 1, dir.resolve("work"), dir.resolve("no-mnist"),
                dir.resolve("no-cifar"), Map.of(), Map.of(), false);
        List<Experiment> tests = List.of(experiment("broken-task", (data, m) -> new BrokenTask()),
                experiment("broken-factory", (data, m) -> {
                    throw new IllegalArgumentException("boom in the factory");
                }), Experiments.byId("mnist-relu-100"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<ExperimentResult> results;
        try (Suite suite = new Suite(settings, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            results = EvaluateCli.runAll(suite, tests, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        assertEquals(3, results.size());
        assertFalse(results.get(0).ran());
        assertTrue(results.get(0).skipped().startsWith("failed: ") && results.get(0).skipped().contains("boom in the "
                + "task"), results.get(0).skipped());
        assertEquals("failed: boom in the factory", results.get(1).skipped());
        assertTrue(results.get(2).skipped().contains("MNIST not found"), "the next test ran: " + results.get(2));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains("broken-task failed:") && stderr.contains("\tat "), "stack trace: " + stderr);
        assertTrue(results.get(0).failed() && results.get(1).failed() && !results.get(2).failed(),
                "a missing data set is a skip, an exception a failure");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("broken-factory: FAILED (boom in the factory)"),
                out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream why = new ByteArrayOutputStream();
        assertEquals(1, EvaluateCli.exitStatus(results, new PrintStream(why, true, StandardCharsets.UTF_8)));
        assertTrue(why.toString(StandardCharsets.UTF_8).contains("FAILED: 2 tests stopped with an error (stack "
                + "traces above): broken-task, broken-factory"), why.toString(StandardCharsets.UTF_8));
        assertEquals(0, EvaluateCli.exitStatus(results.subList(2, 3), new PrintStream(why)), "skips alone pass");

        // and the report is written, naming the failure
        Map<String, ExperimentResult> byId = new LinkedHashMap<>();
        results.forEach(r -> byId.put(r.experiment().id(), r));
        Report.RunInfo info = new Report.RunInfo("test", true, 1, 1.0, "now", "test",
                new LearnedWeights(Map.of(), Map.of()), dir.resolve("runs"));
        Path report = dir.resolve("docs/RESULTS.md");
        Report.write(report, dir.resolve("docs/results"), info, results, null, Claims.evaluate(byId, null));
        String md = Files.readString(report);
        assertTrue(md.contains("- **FAILED** broken-factory: failed: boom in the factory"), md);
        assertTrue(md.contains("- **FAILED** broken-task: failed: "), md);
    }

    @Test
    void cifarFallsBackToTheLoadersFolder(@TempDir Path dir) {
        assertEquals(Cifar10.defaultDirectory(), Suite.cifarDirectory(null));
        assertEquals(dir, Suite.cifarDirectory(dir));
    }
}
