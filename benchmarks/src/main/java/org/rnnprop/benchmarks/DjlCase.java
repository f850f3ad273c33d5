package org.rnnprop.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import java.lang.reflect.Field;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.StepKernels;
import org.rnnprop.djl.RnnpropOptimizer;

/**
 * A DJL {@link Optimizer} updating one PyTorch parameter of N elements, as {@code Trainer.step()} would: the
 * weight requires a gradient and has a real one attached (from one backward pass), so the optimizer's whole work
 * is timed (masking, in-place update, zeroing the weight's gradient). Runs on the thread that started the engine.
 */
final class DjlCase extends BenchCase {
    private static final String ENGINE = "PyTorch";
    private static final String PARAMETER_ID = "benchmark-parameter";

    private final NDManager manager;
    private final NDArray weight;
    private final NDArray grad;
    private final float[] gradSource;
    private final Optimizer optimizer;
    /** The RNNprop optimizer's kernel, or null for Adam. */
    private final RnnpropOptimizer.Kernel kernel;
    /** Whether one update changed the gradient array handed in; if so it is restored (untimed) before each step. */
    private final boolean gradientMutated;

    private DjlCase(int n, Optimizer optimizer, RnnpropOptimizer.Kernel kernel, long seed) {
        super(n);
        this.optimizer = optimizer;
        this.kernel = kernel;
        this.manager = NDManager.newBaseManager(Device.cpu(), ENGINE);
        manager.setName("benchmark");
        this.weight = manager.create(parameters(n, seed));
        weight.setRequiresGradient(true);
        // One backward pass, so the weight holds a real gradient tensor (as in training) for the optimizer to zero.
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            NDArray loss = weight.sum();
            gc.backward(loss);
            loss.close();
        }
        this.gradSource = gradient(n, seed);
        this.grad = manager.create(gradSource);
        optimizer.update(PARAMETER_ID, weight, grad); // first update creates the state
        this.gradientMutated = !Arrays.equals(gradSource, grad.toFloatArray());
    }

    static DjlCase rnnprop(int n, OptimizerWeights w, StatePrecision precision, RnnpropOptimizer.Kernel kernel,
            long seed) {
        return new DjlCase(n, RnnpropOptimizer.builder().optWeights(w).optStatePrecision(precision).optKernel(kernel)
                .build(), kernel, seed);
    }

    static DjlCase adam(int n, long seed) {
        return new DjlCase(n, Optimizer.adam().build(), null, seed);
    }

    @Override
    void prepare() {
        if (gradientMutated) {
            grad.set(FloatBuffer.wrap(gradSource));
        }
    }

    @Override
    void step() {
        optimizer.update(PARAMETER_ID, weight, grad);
    }

    @Override
    double stateBytesPerParameter() {
        if (optimizer instanceof RnnpropOptimizer r) {
            // stateRows decodes to float32 rows: count the stored bytes by precision
            return (double) r.stateRows(PARAMETER_ID).length / r.weights().stateWidth()
                    * r.statePrecision().bytesPerCoordinate(r.weights()) / n;
        }
        long bytes = adamStateBytes();
        return bytes < 0 ? 2.0 * Float.BYTES : (double) bytes / n;
    }

    @Override
    String stateSource() {
        if (optimizer instanceof RnnpropOptimizer r) {
            return r.statePrecision().isCompact() ? "RnnpropOptimizer.stateRows, float16 LSTM values counted as 2 "
                    + "bytes" : "RnnpropOptimizer.stateRows (float32 rows)";
        }
        return adamStateBytes() < 0 ? "nominal (2 float32; Adam's state fields not readable)"
                : "Adam.means + Adam.variances arrays (read by reflection)";
    }

    /** Bytes of DJL Adam's first and second moments for our parameter, or -1 if they cannot be read. */
    private long adamStateBytes() {
        if (!(optimizer instanceof Adam)) {
            return -1;
        }
        try {
            long bytes = 0;
            for (String name : new String[] {"means", "variances"}) {
                Field f = Adam.class.getDeclaredField(name);
                f.setAccessible(true);
                @SuppressWarnings("unchecked")
                Map<String, Map<Device, NDArray>> m = (Map<String, Map<Device, NDArray>>) f.get(optimizer);
                for (NDArray a : m.get(PARAMETER_ID).values()) {
                    bytes += a.size() * a.getDataType().getNumOfBytes();
                }
            }
            return bytes;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    String threads() {
        return kernel == RnnpropOptimizer.Kernel.CORE ? "core " + Dl4jCase.coreThreads()
                : "PyTorch " + JniUtils.getNumThreads();
    }

    @Override
    String kernel() {
        if (kernel == null) {
            return "PyTorch";
        }
        return kernel == RnnpropOptimizer.Kernel.ND ? "NdStep (PyTorch)"
                : StepKernels.vectorEnabled() ? "VectorStep" : "FastStep";
    }

    /** Every NDManager hangs off the engine's system manager, whose recursive count covers all live arrays. */
    @Override
    long liveArrays() {
        return manager.getParentManager().getManagedArrays().size();
    }

    @Override
    void facts(Map<String, String> out) {
        out.put("PyTorch", Engine.getEngine(ENGINE).getVersion() + " (DJL " + Engine.getDjlVersion() + ")");
        out.put("PyTorch threads (intra-op / inter-op)", JniUtils.getNumThreads() + " / "
                + JniUtils.getNumInteropThreads());
        String caseName = optimizer instanceof RnnpropOptimizer ? "RnnpropOptimizer" : "Adam";
        out.put("DJL " + caseName + " overwrites the gradient it is given", Boolean.toString(gradientMutated));
    }

    @Override
    public void close() {
        if (optimizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        manager.close();
    }
}
