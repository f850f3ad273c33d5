package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One optimizer (and so one arranged network per device) serves parameters updated from several threads. */
class RnnpropOptimizerConcurrencyTest {
    private static final int PARAMETERS = 4;
    private static final int STEPS = 25;
    private static final int SIZE = 3000;

    @Test
    void parametersUpdatedConcurrentlyEndExactlyAsWhenUpdatedOneByOne() throws Exception {
        float[][] sequential = run(false);
        float[][] concurrent = run(true);
        for (int p = 0; p < PARAMETERS; p++) {
            assertArrayEquals(sequential[p], concurrent[p], "parameter " + p);
        }
    }

    /** Steps every parameter STEPS times with gradients that depend on the parameter, sequentially or not. */
    private static float[][] run(boolean concurrently) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
                RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop").build()) {
            List<NDArray> weights = new ArrayList<>();
            for (int p = 0; p < PARAMETERS; p++) {
                weights.add(m.arange(0f, SIZE).mul(0.001f * (p + 1)).sin().reshape(new Shape(30, SIZE / 30)));
            }
            if (!concurrently) {
                for (int step = 0; step < STEPS; step++) {
                    for (int p = 0; p < PARAMETERS; p++) {
                        step(opt, p, weights.get(p));
                    }
                }
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(PARAMETERS);
                CyclicBarrier together = new CyclicBarrier(PARAMETERS);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int p = 0; p < PARAMETERS; p++) {
                        int id = p;
                        done.add(pool.submit(() -> {
                            for (int step = 0; step < STEPS; step++) {
                                together.await();
                                step(opt, id, weights.get(id));
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            float[][] out = new float[PARAMETERS][];
            for (int p = 0; p < PARAMETERS; p++) {
                out[p] = weights.get(p).toFloatArray();
            }
            return out;
        }
    }

    private static void step(RnnpropOptimizer opt, int p, NDArray w) {
        try (NDManager tmp = w.getManager().newSubManager()) {
            NDArray grad = tmp.create(w.toFloatArray(), w.getShape()).sub(0.3f).mul(2f);
            opt.update("p" + p, w, grad);
        }
    }
}
