package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.rnnprop.core.StatePrecision;

/** Rnnprop with a schedule on its alpha scale: the update it gives, the config and its JSON, DL4J's counts. */
class AlphaScaleScheduleTest {
    private static final Rnnprop UNTRAINED = Rnnprop.pretrained("rnnprop-untrained");
    private static final ISchedule COSINE = new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, 7);
    /** DL4J's own schedules by iteration, each taking distinct values over the first steps. */
    private static final List<ISchedule> DL4J_SCHEDULES = List.of(
            new ExponentialSchedule(ScheduleType.ITERATION, 0.9, 0.7),
            new StepSchedule(ScheduleType.ITERATION, 1.0, 0.5, 2),
            new MapSchedule.Builder(ScheduleType.ITERATION).add(0, 1.0).add(1, 0.3).add(3, 0.0).build(),
            new CycleSchedule(ScheduleType.ITERATION, 0.2, 1.0, 6, 2, 0.1));

    @TempDir
    Path dir;

    /**
     * At every step the scheduled update is the update at constant scale 1 times the schedule's value there,
     * rounded to float, and the state is the same: for RNNprop and DMoptimizer, in place (float32) and through
     * copies (float64), with 32- and 16-bit state, under DL4J's schedules and CosineSchedule.
     */
    @Test
    void theUpdateIsTheConstantScaleUpdateTimesTheSchedulesValue() {
        Rnnprop[] configs = {UNTRAINED, Rnnprop.pretrained("dm-optimizer-untrained"),
                UNTRAINED.withStatePrecision(StatePrecision.BFLOAT16)};
        for (Rnnprop plain : configs) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                for (ISchedule schedule : concat(DL4J_SCHEDULES, COSINE)) {
                    compareSteps(plain, plain.withAlphaScaleSchedule(schedule), type, 6);
                }
            }
        }
    }

    private static void compareSteps(Rnnprop plain, Rnnprop scheduled, DataType type, int steps) {
        int n = 300;
        int w = plain.stateWidth();
        INDArray plainState = Nd4j.zeros(type, 1, n * w);
        INDArray scheduledState = Nd4j.zeros(type, 1, n * w);
        RnnpropUpdater a = plain.instantiate(plainState, true);
        RnnpropUpdater b = scheduled.instantiate(scheduledState, true);
        String what = scheduled + " on " + type;
        boolean sawSmaller = false;
        for (int it = 0; it < steps; it++) {
            float[] g = TestNets.gradient(n, 100 + it);
            g[17] = Float.NaN; // skipped: update 0 at any scale
            INDArray ga = Nd4j.createFromArray(g).castTo(type);
            INDArray gb = ga.dup();
            a.applyUpdater(ga, it, 0);
            b.applyUpdater(gb, it, 0);
            double s = scheduled.getAlphaScaleSchedule().valueAt(it, 0);
            float[] plainUpdate = ga.toFloatVector();
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (float) (plainUpdate[i] * s);
            }
            assertArrayEquals(expected, gb.toFloatVector(), what + ", iteration " + it + ", scale " + s);
            assertEquals(0, gb.getFloat(17), what);
            assertArrayEquals(plainState.toFloatVector(), scheduledState.toFloatVector(), what + " state");
            sawSmaller |= s < 1 && Math.abs(gb.getFloat(0)) < Math.abs(ga.getFloat(0));
        }
        assertTrue(sawSmaller, what + ": the schedule made some update smaller");
    }

    /** A scheduled value s gives, to float rounding, the update of a kernel made at constant scale s. */
    @Test
    void theScheduledUpdateMatchesAConstantScaleOfTheSameValue() {
        int n = 300;
        int w = UNTRAINED.stateWidth();
        for (double s : new double[] {0.3, 0.5, 1.7}) {
            RnnpropUpdater constant = UNTRAINED.withAlphaScale(s)
                    .instantiate(Nd4j.zeros(DataType.FLOAT, 1, n * w), true);
            RnnpropUpdater scheduled = UNTRAINED.withAlphaScaleSchedule(new FixedSchedule(s))
                    .instantiate(Nd4j.zeros(DataType.FLOAT, 1, n * w), true);
            for (int it = 0; it < 3; it++) {
                INDArray g1 = Nd4j.createFromArray(TestNets.gradient(n, it));
                INDArray g2 = g1.dup();
                constant.applyUpdater(g1, it, 0);
                scheduled.applyUpdater(g2, it, 0);
                float[] u1 = g1.toFloatVector();
                float[] u2 = g2.toFloatVector();
                for (int i = 0; i < n; i++) {
                    assertEquals(u1[i], u2[i], 2 * Math.ulp(u1[i]), "scale " + s + ", iteration " + it + ", " + i);
                }
            }
        }
    }

    /** DL4J's epoch count reaches the schedule: fit(DataSetIterator) advances it, a loop of fit(DataSet) does not. */
    @Test
    void anEpochScheduleFollowsDl4jsEpochCount() {
        ISchedule stopAfterFirstEpoch = new MapSchedule.Builder(ScheduleType.EPOCH).add(0, 1.0).add(1, 0.0).build();
        Rnnprop config = UNTRAINED.withAlphaScaleSchedule(stopAfterFirstEpoch);
        DataSet data = TestNets.classifierData();
        MultiLayerNetwork net = TestNets.classifierNet(config);
        float[] start = net.params().toFloatVector();
        ListDataSetIterator<DataSet> twoBatches = new ListDataSetIterator<>(data.asList(), 16);
        net.fit(twoBatches); // epoch 0: two steps at scale 1
        float[] afterFirst = net.params().toFloatVector();
        assertNotEquals(java.util.Arrays.toString(start), java.util.Arrays.toString(afterFirst));
        assertEquals(1, net.getEpochCount());
        net.fit(twoBatches); // epoch 1: scale 0, nothing moves
        assertEquals(4, net.getIterationCount());
        assertArrayEquals(afterFirst, net.params().toFloatVector());

        MultiLayerNetwork loop = TestNets.classifierNet(config);
        for (int i = 0; i < 3; i++) {
            float[] before = loop.params().toFloatVector();
            loop.fit(data);
            assertNotEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(loop.params().toFloatVector()),
                    "fit(DataSet) stays in epoch 0, at scale 1");
        }
        assertEquals(0, loop.getEpochCount());
    }

    @Test
    void aBadScheduleValueStopsTheStepNamingScheduleAndIteration() {
        for (double bad : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            ISchedule schedule = new MapSchedule.Builder(ScheduleType.ITERATION).add(0, 1.0).add(2, bad).build();
            MultiLayerNetwork net = TestNets.sixtyFourParameters(UNTRAINED.withAlphaScaleSchedule(schedule),
                    DataType.FLOAT);
            TestNets.stepWithGradient(net, TestNets.gradient(64, 1), 0);
            TestNets.stepWithGradient(net, TestNets.gradient(64, 2), 1);
            float[] params = net.params().toFloatVector();
            float[] state = net.getUpdater().getStateViewArray().toFloatVector();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TestNets.stepWithGradient(net, TestNets.gradient(64, 3), 2));
            assertTrue(e.getMessage().contains("alphaScaleSchedule " + schedule) && e.getMessage().contains(
                    "gives " + bad + " at iteration 2, epoch 0"), e.getMessage());
            assertArrayEquals(params, net.params().toFloatVector(), "no parameter changed");
            assertArrayEquals(state, net.getUpdater().getStateViewArray().toFloatVector(), "no state changed");
        }
        // Zero is a valid scale: a step that moves nothing while the state goes on.
        MultiLayerNetwork net = TestNets.sixtyFourParameters(UNTRAINED.withAlphaScaleSchedule(new FixedSchedule(0)),
                DataType.FLOAT);
        float[] params = net.params().toFloatVector();
        TestNets.stepWithGradient(net, TestNets.gradient(64, 1), 0);
        assertArrayEquals(params, net.params().toFloatVector());
        assertNotEquals(0, net.getUpdater().getStateViewArray().sumNumber().doubleValue());
    }

    @Test
    void jsonRoundTripKeepsTheSchedule() {
        for (ISchedule schedule : concat(DL4J_SCHEDULES, COSINE)) {
            Rnnprop config = UNTRAINED.withAlphaScaleSchedule(schedule).withStatePrecision(StatePrecision.FLOAT16);
            MultiLayerConfiguration conf = TestNets.classifier(config);
            String json = conf.toJson();
            assertTrue(json.contains("\"alphaScaleSchedule\" : {"), json);
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
            assertEquals(conf, back);
            for (int i = 0; i < 2; i++) {
                Rnnprop u = (Rnnprop) ((BaseLayer) back.getConf(i).getLayer()).getIUpdater();
                assertEquals(config, u);
                assertEquals(schedule, u.getAlphaScaleSchedule());
            }
        }
        String json = TestNets.classifier(UNTRAINED.withAlphaScaleSchedule(COSINE)).toJson();
        assertTrue(json.contains("\"@class\" : \"org.rnnprop.dl4j.CosineSchedule\""), json);
    }

    /**
     * JSON written before the option existed has no alphaScaleSchedule (nor does a config without one write it):
     * it reads as a constant scale.
     */
    @Test
    void jsonWithoutThePropertyMeansAConstantScale() {
        String json = TestNets.classifier(UNTRAINED.withAlphaScaleSchedule(COSINE)).toJson();
        String old = json.replaceAll(",?\\s*\"alphaScaleSchedule\" : \\{[^}]*\\}", "");
        assertNotEquals(json, old);
        assertFalse(old.contains("alphaScaleSchedule") || old.contains("CosineSchedule"), old);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(old);
        Rnnprop u = (Rnnprop) ((BaseLayer) back.getConf(0).getLayer()).getIUpdater();
        assertEquals(UNTRAINED, u);
        assertNull(u.getAlphaScaleSchedule());
        assertEquals(old, TestNets.classifier(UNTRAINED).toJson(), "what a config without a schedule writes");
    }

    @Test
    void jsonWithAConstantScaleAndAScheduleIsRefused() {
        String json = TestNets.classifier(UNTRAINED.withAlphaScaleSchedule(COSINE)).toJson();
        assertTrue(json.contains("\"alphaScale\" : 1.0"), json);
        String both = json.replace("\"alphaScale\" : 1.0", "\"alphaScale\" : 0.5");
        RuntimeException e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(both));
        assertTrue(TestNets.causes(e).contains("takes alphaScale or alphaScaleSchedule, not both"), TestNets.causes(e));
    }

    /** Training k steps, saving, restoring and training m more is bit-identical to k + m steps in one go. */
    @Test
    void saveRestoreContinueIsExactWithASchedule() throws Exception {
        Rnnprop config = UNTRAINED.withAlphaScaleSchedule(COSINE);
        DataSet data = TestNets.classifierData();
        int k = 4;
        int m = 4; // past the cosine's 7 steps: the last at its final value
        MultiLayerNetwork straight = TestNets.classifierNet(config);
        MultiLayerNetwork first = TestNets.classifierNet(config);
        TestNets.fit(straight, data, k + m);
        TestNets.fit(first, data, k);
        MultiLayerNetwork restored = TestNets.savedAndRestored(first, dir.resolve("net.zip").toFile(), true);
        assertEquals(config, RnnpropUpdater.of(restored.getUpdater()).get(0).getConfig());
        for (int i = 0; i < m; i++) {
            restored.fit(data);
        }
        assertArrayEquals(straight.params().toFloatVector(), restored.params().toFloatVector());
        assertArrayEquals(straight.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector());

        // The schedule did shape the run: without it the same steps end elsewhere.
        MultiLayerNetwork constant = TestNets.classifierNet(UNTRAINED);
        for (int i = 0; i < k + m; i++) {
            constant.fit(data);
        }
        assertNotEquals(java.util.Arrays.toString(constant.params().toFloatVector()),
                java.util.Arrays.toString(straight.params().toFloatVector()));
    }

    @Test
    void aConstantScaleAndAScheduleAreRefusedTogether() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Rnnprop.builder().alphaScale(0.5).alphaScaleSchedule(COSINE));
        assertTrue(e.getMessage().contains("alphaScale=0.5 and alphaScaleSchedule=" + COSINE), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Rnnprop.builder().alphaScaleSchedule(COSINE).alphaScale(1));
        assertTrue(e.getMessage().contains("alphaScale or alphaScaleSchedule, not both"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> UNTRAINED.withAlphaScale(0.5).withAlphaScaleSchedule(COSINE));
        assertTrue(e.getMessage().contains("alphaScale=0.5"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> UNTRAINED.withAlphaScaleSchedule(COSINE).withAlphaScale(2));
        assertTrue(e.getMessage().contains("alphaScaleSchedule=" + COSINE), e.getMessage());
        assertThrows(NullPointerException.class, () -> UNTRAINED.withAlphaScaleSchedule(null));
        assertThrows(NullPointerException.class, () -> Rnnprop.builder().alphaScaleSchedule(null));
        assertThrows(NullPointerException.class, () -> new Rnnprop((ISchedule) null));
        // The builder's bad constant is still named as before, before any conflict.
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Rnnprop.builder().alphaScaleSchedule(COSINE).alphaScale(-1));
        assertTrue(bad.getMessage().contains("alphaScale must be positive"), bad.getMessage());
    }

    @Test
    void valueSemantics() throws Exception {
        Rnnprop a = new Rnnprop(COSINE);
        assertEquals(a, Rnnprop.builder().alphaScaleSchedule(COSINE).build());
        assertEquals(a, new Rnnprop().withAlphaScaleSchedule(COSINE));
        assertEquals(a, Rnnprop.pretrained("rnnprop").withAlphaScaleSchedule(DL4J_SCHEDULES.get(0))
                .withAlphaScaleSchedule(COSINE), "a second schedule replaces the first");
        assertEquals(a.hashCode(), Rnnprop.builder().alphaScaleSchedule(COSINE).build().hashCode());
        assertEquals(a, a.clone());
        assertNotSame(a, a.clone());
        assertNotEquals(a, new Rnnprop());
        assertNotEquals(a, new Rnnprop(DL4J_SCHEDULES.get(0)));
        assertSame(COSINE, a.getAlphaScaleSchedule());
        assertEquals(1.0, a.getAlphaScale());
        assertNull(new Rnnprop().getAlphaScaleSchedule());
        // an alias shows the file it stands for
        assertEquals("Rnnprop(pretrained=rnnprop (" + org.rnnprop.pretrained.Pretrained.resolve("rnnprop")
                + "), alphaScaleSchedule=" + COSINE + ")", a.toString());
        assertEquals("Rnnprop(pretrained=rnnprop-untrained, alphaScaleSchedule=" + COSINE
                + ", statePrecision=float16)",
                UNTRAINED.withStatePrecision(StatePrecision.FLOAT16).withAlphaScaleSchedule(COSINE).toString());
        ISchedule exponential = DL4J_SCHEDULES.get(0);
        Rnnprop b = UNTRAINED.withAlphaScaleSchedule(exponential);
        assertNotSame(exponential, b.clone().getAlphaScaleSchedule(), "clone copies a schedule DL4J lets change");
        assertEquals(b, b.clone());
        assertSame(Kernels.step(UNTRAINED), Kernels.step(b), "a schedule runs on the kernel at constant scale 1");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(b, in.readObject());
        }
    }

    private static List<ISchedule> concat(List<ISchedule> list, ISchedule more) {
        List<ISchedule> all = new java.util.ArrayList<>(list);
        all.add(more);
        return all;
    }
}
