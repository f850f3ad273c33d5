package org.rnnprop.tasks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * Each hand-crafted optimizer's updates over three steps against the formula of TensorFlow 1.x, worked out
 * here in double precision for gradients of very different sizes (including 0).
 */
class BaselineOptimizersTest {
    static final double[][] GRADS = {
        {0.5, -2.0, 1e-3, 0.0},
        {0.25, 1.0, -1e-3, 3.0},
        {-1.0, -0.5, 2e-3, 0.0},
    };

    /** Runs the optimizer on GRADS and checks each step's update against {@code expected[t][i]}. */
    static void check(FlatOptimizer opt, double[][] expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            opt.reset(4, m);
            for (int t = 0; t < GRADS.length; t++) {
                float[] g = new float[4];
                for (int i = 0; i < 4; i++) {
                    g[i] = (float) GRADS[t][i];
                }
                float[] u = opt.update(m.create(g), t + 1).toFloatArray();
                for (int i = 0; i < 4; i++) {
                    assertEquals(expected[t][i], u[i], 1e-6 * Math.abs(expected[t][i]) + 1e-9,
                            opt.name() + " step " + (t + 1) + " coordinate " + i);
                }
            }
        }
    }

    @Test
    void sgd() {
        double lr = 0.3;
        double[][] e = new double[3][4];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 4; i++) {
                e[t][i] = lr * GRADS[t][i];
            }
        }
        check(new Sgd(lr), e);
    }

    @Test
    void momentumAccumulatesTheRawGradient() {
        double lr = 0.1;
        double[][] e = new double[3][4];
        for (int i = 0; i < 4; i++) {
            double a = 0;
            for (int t = 0; t < 3; t++) {
                a = 0.9 * a + GRADS[t][i];
                e[t][i] = lr * a;
            }
        }
        check(new Momentum(lr), e);
        // by hand, coordinate 0: a = 0.5, 0.7, -0.37
        assertEquals(-0.037, e[2][0], 1e-12);
    }

    @Test
    void adagradStartsItsAccumulatorAtOneTenth() {
        double lr = 0.2;
        double[][] e = new double[3][4];
        for (int i = 0; i < 4; i++) {
            double acc = 0.1;
            for (int t = 0; t < 3; t++) {
                acc += GRADS[t][i] * GRADS[t][i];
                e[t][i] = lr * GRADS[t][i] / Math.sqrt(acc);
            }
        }
        check(new Adagrad(lr), e);
        assertEquals(0.2 * 0.5 / Math.sqrt(0.35), e[0][0], 1e-12);
    }

    @Test
    void adadelta() {
        double lr = 1.0;
        double[][] e = new double[3][4];
        for (int i = 0; i < 4; i++) {
            double acc = 0;
            double accUpd = 0;
            for (int t = 0; t < 3; t++) {
                double g = GRADS[t][i];
                acc = 0.95 * acc + 0.05 * g * g;
                double d = Math.sqrt(accUpd + 1e-8) / Math.sqrt(acc + 1e-8) * g;
                accUpd = 0.95 * accUpd + 0.05 * d * d;
                e[t][i] = lr * d;
            }
        }
        check(new Adadelta(lr), e);
        // first step: sqrt(1e-8) / sqrt(0.05 g^2 + 1e-8) * g, about 4.47e-4 * sign(g)
        assertEquals(1e-4 / Math.sqrt(0.05 * 0.25 + 1e-8) * 0.5, e[0][0], 1e-15);
    }

    @Test
    void rmspropStartsItsMeanSquareAtOne() {
        double lr = 0.01;
        double[][] e = new double[3][4];
        for (int i = 0; i < 4; i++) {
            double ms = 1.0;
            for (int t = 0; t < 3; t++) {
                double g = GRADS[t][i];
                ms = 0.9 * ms + 0.1 * g * g;
                e[t][i] = lr * g / Math.sqrt(ms + 1e-10);
            }
        }
        check(new RmsProp(lr), e);
        assertEquals(0.01 * 0.5 / Math.sqrt(0.925), e[0][0], 1e-12);
    }

    @Test
    void tensorFlowAdamAddsEpsilonToTheUncorrectedRoot() {
        double lr = 0.01;
        double eps = 1e-3; // large, so that its placement shows
        double[][] e = new double[3][4];
        for (int i = 0; i < 4; i++) {
            double mm = 0;
            double v = 0;
            for (int t = 1; t <= 3; t++) {
                double g = GRADS[t - 1][i];
                mm = 0.9 * mm + 0.1 * g;
                v = 0.999 * v + 0.001 * g * g;
                double lrT = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                e[t - 1][i] = lrT * mm / (Math.sqrt(v) + eps);
            }
        }
        check(new TensorFlowAdam(lr, 0.9, 0.999, eps), e);
        // step 1, g = 1e-3: m = 1e-4, sqrt(v) = sqrt(1e-9); lr_t = 0.01 * sqrt(0.001) / 0.1
        double lrT = 0.01 * Math.sqrt(0.001) / 0.1;
        assertEquals(lrT * 1e-4 / (Math.sqrt(1e-9) + 1e-3), e[0][2], 1e-15);
    }

    @Test
    void learningRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(-1));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(Double.NaN));
    }
}
