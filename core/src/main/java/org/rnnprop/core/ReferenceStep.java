package org.rnnprop.core;

import java.nio.FloatBuffer;

/**
 * The specification's step (docs/SPEC.md §1, §2) written out plainly, one coordinate at a time, in double precision. It is the
 * ground truth for the golden vectors and for every other implementation; use {@link FastStep} for real work.
 */
public final class ReferenceStep implements StepKernel {
    private final OptimizerWeights weights;
    private final Hyperparameters hp;
    private final int h;

    public ReferenceStep(OptimizerWeights weights) {
        this.weights = weights;
        this.hp = weights.hyperparameters();
        this.h = hp.hiddenSize();
    }

    @Override
    public OptimizerWeights weights() {
        return weights;
    }

    /**
     * One step in double precision. {@code state} holds {@code grad.length} rows, updated in place.
     *
     * @return the updates ({@code theta_new = theta - update}); 0 for skipped coordinates
     */
    public double[] step(long t, double[] grad, double[] state) {
        StepKernel.requireStep(t);
        int w = stateWidth();
        double[] update = new double[grad.length];
        double[] row = new double[w];
        for (int i = 0; i < grad.length; i++) {
            if (!Double.isFinite(grad[i])) {
                continue; // state row untouched, update 0
            }
            System.arraycopy(state, i * w, row, 0, w);
            update[i] = weights.kind() == OptimizerKind.RNNPROP ? rnnprop(t, grad[i], row) : dm(grad[i], row);
            System.arraycopy(row, 0, state, i * w, w);
        }
        return update;
    }

    @Override
    public int step(long t, FloatBuffer grad, FloatBuffer state, FloatBuffer update, int n) {
        int w = stateWidth();
        double[] g = new double[n];
        double[] s = new double[n * w];
        int skipped = 0;
        for (int i = 0; i < n; i++) {
            g[i] = grad.get(i);
            skipped += Double.isFinite(g[i]) ? 0 : 1;
        }
        for (int i = 0; i < n * w; i++) {
            s[i] = state.get(i);
        }
        double[] u = step(t, g, s);
        for (int i = 0; i < n; i++) {
            update.put(i, (float) u[i]);
            if (Double.isFinite(g[i])) {
                for (int k = 0; k < w; k++) {
                    state.put(i * w + k, (float) s[i * w + k]);
                }
            }
        }
        return skipped;
    }

    /** RNNprop for one coordinate; {@code row} = [m, v, h1, c1, h2, c2]. */
    private double rnnprop(long t, double g, double[] row) {
        double m = hp.beta1() * row[0] + (1 - hp.beta1()) * g;
        double v = hp.beta2() * row[1] + (1 - hp.beta2()) * g * g;
        row[0] = m;
        row[1] = v;
        double s = Math.sqrt(v / (1 - Math.pow(hp.beta2(), t))) + hp.epsilon();
        double[] x = {g / s, (m / (1 - Math.pow(hp.beta1(), t))) / s};
        double[] z = dense(x, weights.tensor(NetworkLayout.PREPROCESS_KERNEL),
                weights.tensor(NetworkLayout.PREPROCESS_BIAS));
        for (int k = 0; k < z.length; k++) {
            z[k] = z[k] > 0 ? z[k] : Math.expm1(z[k]); // ELU, alpha 1
        }
        double y = network(z, row, 2);
        return hp.alpha() * Math.tanh(y);
    }

    /** DMoptimizer for one coordinate; {@code row} = [h1, c1, h2, c2]. */
    private double dm(double g, double[] row) {
        double p = hp.logScale();
        double xa = Math.log(Math.max(Math.abs(g), Math.exp(-p))) / p;
        double xb = Math.max(-1, Math.min(1, g * Math.exp(p)));
        double y = network(new double[] {xa, xb}, row, 0);
        return -hp.alpha() * y; // theta + alpha * y
    }

    /** Two LSTM layers and the output layer; states start at {@code row[offset]}. */
    private double network(double[] input, double[] row, int offset) {
        double[] h1 = lstm(input, row, offset, weights.tensor(NetworkLayout.LSTM1_KERNEL),
                weights.tensor(NetworkLayout.LSTM1_BIAS));
        double[] h2 = lstm(h1, row, offset + 2 * h, weights.tensor(NetworkLayout.LSTM2_KERNEL),
                weights.tensor(NetworkLayout.LSTM2_BIAS));
        return dense(h2, weights.tensor(NetworkLayout.OUTPUT_KERNEL), weights.tensor(NetworkLayout.OUTPUT_BIAS))[0];
    }

    /** TensorFlow LSTMCell: [i, j, f, o] = [x, h]·W + b; forget bias added at run time. Updates h, c in row. */
    private double[] lstm(double[] x, double[] row, int at, Tensor kernel, Tensor bias) {
        double[] xh = new double[x.length + h];
        System.arraycopy(x, 0, xh, 0, x.length);
        System.arraycopy(row, at, xh, x.length, h);
        double[] gates = dense(xh, kernel, bias);
        double[] hNew = new double[h];
        for (int k = 0; k < h; k++) {
            double i = gates[k];
            double j = gates[h + k];
            double f = gates[2 * h + k];
            double o = gates[3 * h + k];
            double c = sigmoid(f + hp.forgetBias()) * row[at + h + k] + sigmoid(i) * Math.tanh(j);
            hNew[k] = sigmoid(o) * Math.tanh(c);
            row[at + h + k] = c;
        }
        System.arraycopy(hNew, 0, row, at, h);
        return hNew;
    }

    private static double[] dense(double[] x, Tensor kernel, Tensor bias) {
        int out = kernel.dim(1);
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double acc = bias.get(j);
            for (int k = 0; k < x.length; k++) {
                acc += x[k] * kernel.get(k, j);
            }
            y[j] = acc;
        }
        return y;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
