package org.rnnprop.benchmarks;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.StepKernels;
import org.rnnprop.dl4j.Rnnprop;

/**
 * A DL4J {@link GradientUpdater} on one flat block of N float32 parameters, as DL4J's updater block drives it:
 * a state view of {@code stateSize(N)} floats, and {@code applyUpdater} overwriting the gradient with the update.
 * The gradient is restored (untimed) before each step, so every step sees the same input.
 */
final class Dl4jCase extends BenchCase {
    private final IUpdater config;
    private final INDArray view;
    private final INDArray grad;
    private final INDArray source;
    private final GradientUpdater<?> updater;
    private int iteration;

    private Dl4jCase(int n, IUpdater config, long seed) {
        super(n);
        this.config = config;
        this.view = Nd4j.zeros(DataType.FLOAT, 1, config.stateSize(n));
        this.updater = config.instantiate(view, true);
        this.source = Nd4j.createFromArray(gradient(n, seed));
        this.grad = Nd4j.create(DataType.FLOAT, n);
    }

    static Dl4jCase rnnprop(int n, String pretrained, StatePrecision precision, long seed) {
        return new Dl4jCase(n, Rnnprop.pretrained(pretrained).withStatePrecision(precision), seed);
    }

    static Dl4jCase adam(int n, long seed) {
        return new Dl4jCase(n, new Adam(), seed);
    }

    @Override
    void prepare() {
        grad.assign(source);
    }

    @Override
    void step() {
        updater.applyUpdater(grad, iteration++, 0);
    }

    @Override
    double stateBytesPerParameter() {
        return (double) view.length() * view.dataType().width() / n;
    }

    @Override
    String stateSource() {
        return "state view (" + config.getClass().getSimpleName() + ".stateSize(N) = " + config.stateSize(n) / n
                + " x N " + view.dataType() + ")";
    }

    @Override
    String threads() {
        return config instanceof Rnnprop ? "core " + coreThreads() : "ND4J " + Nd4j.getEnvironment().maxThreads();
    }

    /** The core's shared worker threads: the {@code rnnprop.threads} property, else one per processor. */
    static String coreThreads() {
        return System.getProperty("rnnprop.threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    String kernel() {
        if (!(config instanceof Rnnprop r)) {
            return "ND4J";
        }
        String step = StepKernels.vectorEnabled() ? "VectorStep" : "FastStep";
        return r.getStatePrecision().isCompact() ? "PackedStep over " + step : step;
    }

    @Override
    void facts(Map<String, String> out) {
        out.put("ND4J backend", Nd4j.getBackend().getClass().getSimpleName() + ", "
                + Nd4j.getEnvironment().maxThreads() + " threads (" + Nd4j.getEnvironment().maxMasterThreads()
                + " master)");
    }
}
