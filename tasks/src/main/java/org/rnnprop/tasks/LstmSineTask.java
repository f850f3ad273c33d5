package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The specification's LSTM optimizee (docs/SPEC.md §4): predict the next value of a noisy sine. Each of the
 * {@code batchSize} sequences of a minibatch draws A ~ U[0, 10], w ~ U[0, pi/2], phi ~ U[0, 2 pi]; its inputs
 * are {@code x_k = A sin(k w + phi) + N(0, noise^2)}, k = 0..9, its target the noise-free
 * {@code A sin(10 w + phi)}. One or more stacked LSTM layers (TensorFlow's cell: gates i, j, f, o, no
 * peepholes, and no forget bias here) read the sequence; a dense layer maps the last hidden state of the top
 * layer to the prediction; the loss is the mean squared error over the batch. Parameters are drawn from
 * N(0, 0.1^2); a fresh minibatch every step. Backpropagation through time is written out by hand.
 *
 * <p>Flat layout: per layer, its kernel [(in + hidden), 4 hidden] row-major (rows: the layer's input, then
 * its previous hidden state; columns: gates i, j, f, o) and bias [4 hidden]; then the output kernel
 * [hidden, 1] and bias [1]. One layer of 20 has 1,781 parameters, two have 5,061.
 */
public final class LstmSineTask implements Task {
    /** Inputs per sequence. */
    public static final int LENGTH = 10;
    /** The specification's noise in the default setting. */
    public static final double DEFAULT_NOISE = 0.1;

    /**
     * The data of one step.
     *
     * @param inputs [batch, LENGTH] row-major
     * @param targets [batch]
     */
    public record Batch(float[] inputs, float[] targets) {
    }

    private final int layers;
    private final int hidden;
    private final double noise;
    private final int batchSize;
    private final int dimension;

    /**
     * @param layers stacked LSTM layers, at least 1
     * @param hidden units per layer
     * @param noise standard deviation of the input noise
     */
    public LstmSineTask(int layers, int hidden, double noise, int batchSize) {
        if (layers < 1 || hidden < 1 || batchSize < 1 || noise < 0) {
            throw new IllegalArgumentException("need layers, hidden, batchSize >= 1 and noise >= 0");
        }
        this.layers = layers;
        this.hidden = hidden;
        this.noise = noise;
        this.batchSize = batchSize;
        int d = 0;
        for (int l = 0; l < layers; l++) {
            d += (inputSize(l) + hidden) * 4 * hidden + 4 * hidden;
        }
        this.dimension = d + hidden + 1;
    }

    /** The specification's setting: LSTM layers of 20 units, batch 128. */
    public static LstmSineTask of(int layers, double noise) {
        return new LstmSineTask(layers, 20, noise, 128);
    }

    private int inputSize(int layer) {
        return layer == 0 ? 1 : hidden;
    }

    private long kernelOffset(int layer) {
        long at = 0;
        for (int l = 0; l < layer; l++) {
            at += (long) (inputSize(l) + hidden) * 4 * hidden + 4 * hidden;
        }
        return at;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public NDArray initialParameters(NDManager manager, Rng rng) {
        return Task.gaussianParameters(dimension, manager, rng);
    }

    @Override
    public Object sampleBatch(Rng rng) {
        float[] x = new float[batchSize * LENGTH];
        float[] y = new float[batchSize];
        for (int b = 0; b < batchSize; b++) {
            double amplitude = rng.uniform(0, 10);
            double frequency = rng.uniform(0, Math.PI / 2);
            double phase = rng.uniform(0, 2 * Math.PI);
            for (int k = 0; k < LENGTH; k++) {
                x[b * LENGTH + k] = (float) (amplitude * Math.sin(k * frequency + phase) + noise * rng.nextGaussian());
            }
            y[b] = (float) (amplitude * Math.sin(LENGTH * frequency + phase));
        }
        return new Batch(x, y);
    }

    @Override
    public NDArray loss(NDArray theta, Object batch) {
        return run(theta, (Batch) batch, false).loss();
    }

    @Override
    public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
        return run(theta, (Batch) batch, true);
    }

    /** The forward pass and, if asked, backpropagation through time. */
    private LossAndGradient run(NDArray theta, Batch batch, boolean backward) {
        NDManager m = theta.getManager();
        int n = batch.targets().length;
        NDArray xs = m.create(batch.inputs(), new Shape(n, LENGTH)).toDevice(theta.getDevice(), false);
        NDArray target = m.create(batch.targets(), new Shape(n, 1)).toDevice(theta.getDevice(), false);
        NDArray[] kernel = new NDArray[layers];
        NDArray[] bias = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            long at = kernelOffset(l);
            long size = (long) (inputSize(l) + hidden) * 4 * hidden;
            kernel[l] = theta.get(at + ":" + (at + size)).reshape(inputSize(l) + hidden, 4L * hidden);
            bias[l] = theta.get((at + size) + ":" + (at + size + 4L * hidden));
        }
        long outAt = kernelOffset(layers);
        NDArray outKernel = theta.get(outAt + ":" + (outAt + hidden)).reshape(hidden, 1);
        NDArray outBias = theta.get((outAt + hidden) + ":" + (outAt + hidden + 1));

        // cells[k][l]: what backpropagation needs of layer l at time k
        Cell[][] cells = new Cell[LENGTH][layers];
        NDArray[] h = new NDArray[layers];
        NDArray[] c = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            h[l] = m.zeros(new Shape(n, hidden)).toDevice(theta.getDevice(), false);
            c[l] = h[l];
        }
        for (int k = 0; k < LENGTH; k++) {
            NDArray in = xs.get(":, " + k + ":" + (k + 1));
            for (int l = 0; l < layers; l++) {
                Cell cell = Cell.forward(NDArrays.concat(new NDList(in, h[l]), 1), c[l], kernel[l], bias[l], hidden);
                cells[k][l] = cell;
                h[l] = cell.h;
                c[l] = cell.c;
                in = cell.h;
            }
        }
        NDArray err = h[layers - 1].matMul(outKernel).add(outBias).sub(target);
        NDArray loss = err.square().mean();
        if (!backward) {
            return new LossAndGradient(loss, null);
        }

        NDArray dy = err.mul(2f / n);
        NDArray[] dKernel = new NDArray[layers];
        NDArray[] dBias = new NDArray[layers];
        NDArray[] dhNext = new NDArray[layers];
        NDArray[] dcNext = new NDArray[layers];
        for (int k = LENGTH - 1; k >= 0; k--) {
            NDArray fromAbove = k == LENGTH - 1 ? dy.matMul(outKernel.transpose()) : null;
            for (int l = layers - 1; l >= 0; l--) {
                Cell cell = cells[k][l];
                NDArray dh = sum(fromAbove, dhNext[l]);
                NDArray[] back = cell.backward(dh, dcNext[l], kernel[l]);
                dKernel[l] = sum(dKernel[l], back[0]);
                dBias[l] = sum(dBias[l], back[1]);
                int in = inputSize(l);
                fromAbove = back[2].get(":, 0:" + in);
                dhNext[l] = back[2].get(":, " + in + ":");
                dcNext[l] = back[3];
            }
        }
        NDList grads = new NDList();
        for (int l = 0; l < layers; l++) {
            grads.add(dKernel[l].reshape(-1));
            grads.add(dBias[l]);
        }
        grads.add(h[layers - 1].transpose().matMul(dy).reshape(-1));
        grads.add(dy.sum(new int[] {0}));
        return new LossAndGradient(loss, NDArrays.concat(grads));
    }

    private static NDArray sum(NDArray a, NDArray b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    /** One LSTM cell application and what its backward pass needs. */
    private record Cell(NDArray input, NDArray cPrev, NDArray i, NDArray j, NDArray f, NDArray o, NDArray tanhC,
            NDArray c, NDArray h) {

        static Cell forward(NDArray input, NDArray cPrev, NDArray kernel, NDArray bias, int hidden) {
            NDArray gates = input.matMul(kernel).add(bias);
            NDArray i = Activation.sigmoid(gate(gates, 0, hidden));
            NDArray j = gate(gates, 1, hidden).tanh();
            NDArray f = Activation.sigmoid(gate(gates, 2, hidden));
            NDArray o = Activation.sigmoid(gate(gates, 3, hidden));
            NDArray c = f.mul(cPrev).add(i.mul(j));
            NDArray tanhC = c.tanh();
            return new Cell(input, cPrev, i, j, f, o, tanhC, c, o.mul(tanhC));
        }

        private static NDArray gate(NDArray gates, int g, int hidden) {
            return gates.get(":, " + g * hidden + ":" + (g + 1) * hidden);
        }

        /**
         * @param dh gradient of the loss with respect to this cell's h
         * @param dcNext gradient arriving at this cell's c from the next time step, or null
         * @return {dKernel, dBias, dInput (the layer's input and previous h, concatenated), dcPrev}
         */
        NDArray[] backward(NDArray dh, NDArray dcNext, NDArray kernel) {
            NDArray dc = sum(dcNext, dh.mul(o).mul(tanhC.square().neg().add(1)));
            NDArray di = dc.mul(j).mul(i).mul(i.neg().add(1));
            NDArray dj = dc.mul(i).mul(j.square().neg().add(1));
            NDArray df = dc.mul(cPrev).mul(f).mul(f.neg().add(1));
            NDArray dOut = dh.mul(tanhC).mul(o).mul(o.neg().add(1));
            NDArray dGates = NDArrays.concat(new NDList(di, dj, df, dOut), 1);
            return new NDArray[] {input.transpose().matMul(dGates), dGates.sum(new int[] {0}),
                dGates.matMul(kernel.transpose()), dc.mul(f)};
        }
    }
}
