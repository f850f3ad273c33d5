package org.rnnprop.meta;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Tensor;

/**
 * {@link PeriodBackward} written out by hand: for each block of {@link ReplayBlock#BLOCK} coordinates it
 * recomputes the period's forward pass from the recorded state and gradients, keeping the activations, and
 * backpropagates through time (see {@link ReplayBlock}), on the JDK's Vector API where the JVM can run it and in
 * plain Java otherwise ({@link ReplayBlocks}). The meta-gradient is a sum over coordinates, so blocks are
 * independent: threads claim them in turn, each with its own preallocated scratch. Steps after the last
 * weighted loss are not replayed: their updates move no weighted loss, so their part of the gradient is zero.
 *
 * <p>The result does not depend on the number of threads or on which thread ran which block: each block's
 * gradient is kept apart and the blocks are summed in order at the end, in double precision. So a run is
 * reproducible bit for bit on one implementation, as a resumed run must be (the vector and plain ones differ in
 * the last bits, as the core's step kernels do). Both agree with {@link AutogradReplay} to float rounding
 * ({@code HandReplayTest}).
 */
final class HandReplay implements PeriodBackward {
    /** Daemon threads shared by every instance; a run has one meta-backward in flight at a time. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rnnprop-meta-backward");
        t.setDaemon(true);
        return t;
    });

    private final int threads;
    private final boolean vector;
    private final ReplayBlock[] scratch;
    /** Per block, its gradient in the flat layout of {@link ReplayNetwork}; grown on demand. */
    private float[] blockGradients = new float[0];

    /** Uses every available processor. */
    HandReplay() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Uses {@code threads} threads, the caller's included, and the Vector API where this JVM can run it (else
     * logs once, at INFO, why not).
     */
    HandReplay(int threads) {
        this(threads, ReplayBlocks.vectorAvailable());
    }

    /**
     * Uses {@code threads} threads, the caller's included, on the Vector API or in plain Java.
     *
     * @throws UnsupportedOperationException for the Vector API where this JVM cannot run it
     */
    HandReplay(int threads, boolean vector) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (vector && ReplayBlocks.vectorUnavailableReason() != null) {
            throw new UnsupportedOperationException("the vector meta-backward cannot run here: "
                    + ReplayBlocks.vectorUnavailableReason());
        }
        this.threads = threads;
        this.vector = vector;
        this.scratch = new ReplayBlock[threads];
    }

    /** Whether this replays on the Vector API. */
    boolean vector() {
        return vector;
    }

    @Override
    public synchronized Map<String, float[]> gradient(OptimizerWeights weights, float[] state0, float[][] gradients,
            double[] lossWeights, long t0) {
        int width = weights.stateWidth();
        int steps = gradients.length;
        if (state0.length % width != 0) {
            throw new IllegalArgumentException("state0 holds " + state0.length + " floats, not a multiple of the "
                    + "state width " + width);
        }
        int n = state0.length / width;
        if (lossWeights.length != steps) {
            throw new IllegalArgumentException(steps + " steps of gradients but " + lossWeights.length
                    + " loss weights");
        }
        for (int k = 0; k < steps; k++) {
            if (gradients[k].length != n) {
                throw new IllegalArgumentException("gradients[" + k + "] has " + gradients[k].length
                        + " values, expected one per coordinate (" + n + ")");
            }
        }
        if (t0 < 0) {
            throw new IllegalArgumentException("t0 must be at least 0, got " + t0);
        }
        ReplayNetwork net = new ReplayNetwork(weights);
        int blocks = (n + ReplayBlock.BLOCK - 1) / ReplayBlock.BLOCK;
        int replayed = lastWeighted(lossWeights);
        if (blocks == 0 || replayed == 0) {
            return AutogradReplay.zeros(weights); // the first loss does not depend on the weights
        }
        ReplayBlock.Period period = new ReplayBlock.Period(state0, gradients, lossWeights, t0, replayed);
        long need = (long) blocks * net.size;
        if (need > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " coordinates are more than one call can take; split them");
        }
        if (blockGradients.length < need) {
            blockGradients = new float[(int) need];
        }
        int workers = Math.min(threads, blocks);
        for (int w = 0; w < workers; w++) {
            if (scratch[w] == null || !scratch[w].fits(net, replayed)) {
                scratch[w] = vector ? ReplayBlocks.vector(net, replayed) : ReplayBlocks.plain(net, replayed);
            }
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            ReplayBlock s = scratch[w];
            running.add(WORKERS.submit(() -> work(s, net, period, n, blocks, next)));
        }
        work(scratch[0], net, period, n, blocks, next);
        for (Future<?> f : running) {
            await(f);
        }
        return sum(weights, net, blocks);
    }

    private void work(ReplayBlock s, ReplayNetwork net, ReplayBlock.Period period, int n, int blocks,
            AtomicInteger next) {
        for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
            int start = b * ReplayBlock.BLOCK;
            s.run(net, period, start, Math.min(ReplayBlock.BLOCK, n - start), blockGradients, b * net.size);
        }
    }

    /**
     * The steps whose updates reach a weighted loss: the index of the last non-zero loss weight (the update of
     * step t moves the losses after it), 0 if none.
     */
    private static int lastWeighted(double[] lossWeights) {
        for (int k = lossWeights.length - 1; k > 0; k--) {
            if (lossWeights[k] != 0) {
                return k;
            }
        }
        return 0;
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the meta-backward's workers", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /** The blocks' gradients summed in block order, split into the network's tensors. */
    private Map<String, float[]> sum(OptimizerWeights weights, ReplayNetwork net, int blocks) {
        double[] total = new double[net.size];
        for (int b = 0; b < blocks; b++) {
            int o = b * net.size;
            for (int i = 0; i < net.size; i++) {
                total[i] += blockGradients[o + i];
            }
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        int at = 0;
        for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
            float[] g = new float[e.getValue().size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) total[at + i];
            }
            at += g.length;
            out.put(e.getKey(), g);
        }
        return out;
    }
}
