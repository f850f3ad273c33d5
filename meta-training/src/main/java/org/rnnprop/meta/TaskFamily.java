package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.tasks.CnnTask;
import org.rnnprop.tasks.ConvexTask;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.ParameterInit;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.ScaledTask;
import org.rnnprop.tasks.SumTask;
import org.rnnprop.tasks.Task;

/**
 * The optimizees of the long-horizon recipe, one drawn per trajectory, so the optimizer meets the networks users
 * train and not one fixed MLP:
 * <ul>
 *   <li>with probability {@value #CNN_PROBABILITY}, a small MNIST CNN ({@link #CNNS}), N(0, 0.1^2) initial
 *       parameters; otherwise an MLP on MNIST with 1 to 3 hidden layers of a width drawn log-uniformly from
 *       {@value #MIN_WIDTH} to {@value #MAX_WIDTH}, a sigmoid, ReLU, tanh or ELU activation, and either the
 *       specification's N(0, 0.1^2) or the framework default (Glorot uniform) initialisation, each equally
 *       likely;</li>
 *   <li>Random Scaling (k = 3) with probability one half, and the convex term (20 coordinates, scaled with
 *       k = 1 when the network is) added with probability one half.</li>
 * </ul>
 * Every draw comes from the iteration's random stream, so a resumed run draws the same tasks.
 */
final class TaskFamily {
    static final double CNN_PROBABILITY = 0.15;
    static final int MIN_WIDTH = 20;
    static final int MAX_WIDTH = 256;
    /** The CNNs drawn: 15,770 and 33,850 parameters on MNIST. */
    static final List<String> CNNS = List.of("conv8-pool-fc10", CnnTask.CCPF);
    /** For provenance: the family in one line. */
    static final String DESCRIPTION = "per trajectory: p=" + CNN_PROBABILITY + " a CNN of " + CNNS
            + " (N(0, 0.1^2)), else an MLP of 1-3 hidden layers, width log-uniform " + MIN_WIDTH + "-" + MAX_WIDTH
            + ", sigmoid/relu/tanh/elu, N(0, 0.1^2) or Glorot uniform; Random Scaling (k=3) p=0.5; convex term "
            + "p=0.5; MNIST training set, batch 128";
    /** For provenance: the ablation that trains the base MLP only. */
    static final String BASE_ONLY_DESCRIPTION = "per trajectory: the base MLP (784-20-10 sigmoid, N(0, 0.1^2)); "
            + "Random Scaling (k=3) p=0.5; convex term p=0.5; MNIST training set, batch 128";

    private final MlpTask base;
    private final List<CnnTask> cnns;
    private final TrainingConfig config;

    /** A drawn optimizee and a short description for the logs ("mlp 2x57 tanh glorot +scaling"). */
    record Draw(Task task, String description) {
    }

    /**
     * @param base the base MLP on the training images, whose data the drawn MLPs share
     * @param images the same images, copied once per CNN architecture to {@code manager}
     */
    TaskFamily(MlpTask base, LabeledImages images, NDManager manager, TrainingConfig config) {
        this.base = base;
        this.cnns = CNNS.stream().map(a -> new CnnTask(images, manager, a, config.batchSize())).toList();
        this.config = config;
    }

    Draw draw(Rng rng) {
        Task network;
        StringBuilder d = new StringBuilder();
        if (config.longHorizon().optimizees() == LongHorizon.Optimizees.BASE_MLP) {
            network = base;
            d.append("base mlp");
        } else if (rng.nextDouble() < CNN_PROBABILITY) {
            int i = rng.nextInt(cnns.size());
            network = cnns.get(i);
            d.append("cnn ").append(CNNS.get(i));
        } else {
            int layers = 1 + rng.nextInt(3);
            int width = (int) Math.round(Math.exp(rng.uniform(Math.log(MIN_WIDTH), Math.log(MAX_WIDTH))));
            MlpTask.Act act = MlpTask.Act.values()[rng.nextInt(MlpTask.Act.values().length)];
            ParameterInit init = rng.nextDouble() < 0.5 ? ParameterInit.GAUSSIAN_0_1 : ParameterInit.GLOROT_UNIFORM;
            network = base.variant(width, layers, act, init);
            d.append(String.format(Locale.ROOT, "mlp %dx%d %s %s", layers, width,
                    act.name().toLowerCase(Locale.ROOT), init == ParameterInit.GAUSSIAN_0_1 ? "gauss" : "glorot"));
        }
        boolean scaled = rng.nextDouble() < 0.5;
        if (scaled) {
            network = ScaledTask.random(network, config.scaleF(), rng);
            d.append(" +scaling");
        }
        if (rng.nextDouble() < 0.5) {
            Task g = ConvexTask.random(config.convexDimension(), rng);
            if (scaled) {
                g = ScaledTask.random(g, config.scaleG(), rng);
            }
            network = new SumTask(List.of(network, g));
            d.append(" +convex");
        }
        return new Draw(network, d.toString());
    }

    /**
     * The tasks the curriculum validates on, with no tricks: the specification's base MLP, and the kind of
     * network a user brings (784-64-10 ReLU, Glorot uniform initialisation).
     */
    List<Draw> validationTasks() {
        return List.of(new Draw(base, "base mlp 1x20 sigmoid gauss"),
                new Draw(base.variant(64, 1, MlpTask.Act.RELU, ParameterInit.GLOROT_UNIFORM),
                        "mlp 1x64 relu glorot"));
    }
}
