package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * How a network optimizee draws its initial parameters: the specification's N(0, 0.1^2) for every coordinate,
 * or the default a user of one of the two frameworks gets when creating the same layers.
 */
public enum ParameterInit {
    /** The specification's: every weight and bias from N(0, 0.1^2), drawn in one pass over the flat vector. */
    GAUSSIAN_0_1("N(0, 0.1^2) weights and biases"),
    /**
     * Deeplearning4j's default ({@code WeightInit.XAVIER}, biases 0): weights from N(0, 2 / (fanIn + fanOut)),
     * fans of a convolution counting its kernel's area (Glorot and Bengio's normal variant).
     */
    XAVIER_NORMAL("weights N(0, 2/(fan_in + fan_out)), biases 0 (DL4J's default WeightInit.XAVIER)"),
    /**
     * DJL's default (the {@code XavierInitializer(GAUSSIAN, IN, 2)} of {@code Parameter.Type.WEIGHT}, biases
     * 0): weights from N(0, 2 / fanIn), He et al.'s initialisation for ReLU networks.
     */
    HE_NORMAL("weights N(0, 2/fan_in), biases 0 (DJL's default initializer)"),
    /**
     * Keras's and TensorFlow's default ({@code glorot_uniform}, biases 0): weights from U(-r, r) with
     * r = sqrt(6 / (fanIn + fanOut)), the same variance as {@link #XAVIER_NORMAL}.
     */
    GLOROT_UNIFORM("weights U(-r, r), r = sqrt(6/(fan_in + fan_out)), biases 0 (Keras's default glorot_uniform)");

    /**
     * One block of the flat parameter vector: a layer's kernel or its bias.
     *
     * @param size coordinates
     * @param fanIn inputs feeding each output (for a convolution: input channels times kernel area)
     * @param fanOut outputs each input feeds (for a convolution: filters times kernel area)
     * @param bias whether it is a bias (frameworks start biases at 0)
     */
    public record Block(int size, int fanIn, int fanOut, boolean bias) {
        /** A kernel block. */
        public static Block kernel(int size, int fanIn, int fanOut) {
            return new Block(size, fanIn, fanOut, false);
        }

        /** A bias block. */
        public static Block bias(int size) {
            return new Block(size, 0, 0, true);
        }
    }

    private final String description;

    ParameterInit(String description) {
        this.description = description;
    }

    /** A readable description, for reports. */
    public String description() {
        return description;
    }

    /**
     * Draws the initial parameters of a network whose flat vector is {@code blocks} in order.
     *
     * @return shape [sum of the block sizes] on {@code manager}
     */
    public NDArray draw(List<Block> blocks, NDManager manager, Rng rng) {
        int dimension = blocks.stream().mapToInt(Block::size).sum();
        if (this == GAUSSIAN_0_1) {
            return Task.gaussianParameters(dimension, manager, rng);
        }
        float[] theta = new float[dimension];
        int at = 0;
        for (Block b : blocks) {
            if (b.bias()) {
                at += b.size();
                continue;
            }
            if (this == GLOROT_UNIFORM) {
                double r = Math.sqrt(6.0 / (b.fanIn() + b.fanOut()));
                System.arraycopy(rng.uniform(b.size(), -r, r), 0, theta, at, b.size());
            } else {
                double variance = this == XAVIER_NORMAL ? 2.0 / (b.fanIn() + b.fanOut()) : 2.0 / b.fanIn();
                System.arraycopy(rng.gaussian(b.size(), Math.sqrt(variance)), 0, theta, at, b.size());
            }
            at += b.size();
        }
        return manager.create(theta);
    }
}
