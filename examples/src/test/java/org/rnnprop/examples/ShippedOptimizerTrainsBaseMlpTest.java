package org.rnnprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.examples.BaseMlpTraining.Framework;
import org.rnnprop.examples.BaseMlpTraining.InitialParameters;
import org.rnnprop.examples.BaseMlpTraining.OptimizerChoice;
import org.rnnprop.examples.BaseMlpTraining.Run;
import org.rnnprop.pretrained.Pretrained;

/**
 * End to end: the shipped RNNprop, plugged into each framework exactly as a user would plug it in, trains the
 * specification's base MLP (784 → 20 sigmoid → 10, batch 128, parameters from N(0, 0.1²)) on real MNIST.
 *
 * <p>For DJL and for DL4J: {@value #STEPS} steps from the spec's initialisation (seed {@value #INIT_SEED}), a
 * fresh minibatch each step (seed {@value #BATCH_SEED}, the demo's defaults); the mean training loss of the last
 * {@value #WINDOW} steps must be at least {@value #MARGIN} below the loss of the first step (at the initial
 * parameters, about 2.32).
 *
 * <p><b>Why {@value #MARGIN}.</b>
 * <ul>
 *   <li>Chance. At fixed parameters, the loss of one minibatch varies by a standard deviation of 0.012 to 0.023
 *       across batches (measured at the initialisation for seeds 1 to 5, 400 batches each; the full range of
 *       400 batches is under 0.17), and the mean of 10 batches by 0.004 to 0.007. A drop of {@value #MARGIN} is
 *       more than 20 standard deviations of that noise: no lucky choice of minibatches produces it.</li>
 *   <li>Learning from the pixels. A classifier that ignores its input can do no better than the entropy of the
 *       MNIST labels, 2.301 nats (class priors learned through the biases). A mean loss near 1.8 can only be
 *       reached by weights that use the images.</li>
 *   <li>Calibration, from this same start on these same minibatches (DJL and DL4J agree to within 1e-4): the
 *       untrained network ({@code rnnprop-untrained}) achieves a drop of 0.27 and fails, as it should; Adam with
 *       the usual default learning rate 1e-3 achieves 0.48; Adam at the paper's tuned 2^-5 achieves 1.94. The
 *       paper finds the meta-trained RNNprop better than tuned Adam at 100 steps, so trained weights pass
 *       easily; the bar is "at least about as good as untuned Adam", which weights that did not learn to
 *       optimize do not reach.</li>
 * </ul>
 *
 * <p>The optimizer is the shipped {@value #SHIPPED}; {@code -Drnnprop.e2e.weights=NAME} runs the test against
 * another shipped name (e.g. {@code rnnprop-untrained} while the trained weights are being produced). A name
 * that is not shipped FAILS the test rather than skipping it: a build without its optimizer is broken. Missing
 * MNIST fails it too, with the command that fetches it.
 */
class ShippedOptimizerTrainsBaseMlpTest {
    /** The name the trained RNNprop weights ship under. */
    static final String SHIPPED = "rnnprop";
    /** System property that overrides {@link #SHIPPED} (for development only). */
    static final String WEIGHTS_PROPERTY = "rnnprop.e2e.weights";
    static final int STEPS = 100;
    static final int WINDOW = 10;
    static final double MARGIN = 0.5;
    static final long INIT_SEED = 1;
    static final long BATCH_SEED = 2;

    private static String weights;
    private static LabeledImages train;
    private static InitialParameters init;
    private static int[][] batches;

    @BeforeAll
    static void setUp() throws IOException {
        weights = System.getProperty(WEIGHTS_PROPERTY, SHIPPED);
        if (!Pretrained.names().contains(weights)) {
            fail("the learned optimizer '" + weights + "' is not shipped in rnnprop-pretrained (shipped: "
                    + Pretrained.names() + "); the build must ship it (or set -D" + WEIGHTS_PROPERTY
                    + "=NAME while developing)");
        }
        Path dir = Mnist.defaultDirectory();
        if (!Mnist.isPresent(dir)) {
            fail("MNIST not found in " + dir + ": run scripts/fetch-mnist.sh of the rnnprop-java repository first");
        }
        train = Mnist.load(dir, Mnist.Split.TRAIN);
        init = BaseMlpTraining.specInitialization(INIT_SEED);
        batches = BaseMlpTraining.minibatches(BATCH_SEED, STEPS, train.numExamples());
    }

    @Test
    void djlTrainsTheBaseMlp() {
        check(Framework.DJL);
    }

    @Test
    void dl4jTrainsTheBaseMlp() {
        check(Framework.DL4J);
    }

    private static void check(Framework framework) {
        Run run = BaseMlpTraining.train(framework, OptimizerChoice.pretrained(weights), init, train, batches, null);
        assertEquals(STEPS, run.losses().length);
        for (int s = 0; s < STEPS; s++) {
            assertTrue(Float.isFinite(run.losses()[s]), "loss of step " + (s + 1) + " is " + run.losses()[s]);
        }
        double first = run.losses()[0];
        double last = run.meanOfLast(WINDOW);
        String summary = String.format(Locale.ROOT,
                "%s with '%s', %d steps: first loss %.4f, mean of the last %d %.4f, drop %.4f "
                        + "(required >= %.2f), %.1f s",
                framework.label(), weights, STEPS, first, WINDOW, last, first - last, MARGIN, run.seconds());
        System.out.println(summary);
        assertTrue(first - last >= MARGIN, summary);
    }
}
