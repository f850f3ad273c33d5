package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.djl.internal.NdConstants;

/**
 * The specification's MLP on MNIST-like data: {@code layers} hidden layers of {@code hidden} units with the
 * chosen activation, a softmax output, cross-entropy averaged over the batch; all parameters (weights and
 * biases) drawn from N(0, 0.1^2); a fresh minibatch of {@code batchSize} examples each step. The base MLP
 * (784 → 20 sigmoid → 10) has 15,910 parameters. Backpropagation is written out by hand. Other
 * initialisations and epoch-style minibatches are available through {@link ImageTaskOptions}.
 *
 * <p>Flat layout: for each layer in order, its kernel [in, out] row-major, then its bias [out].
 */
public final class MlpTask implements ImageClassifier {

    /** Hidden-layer activation. */
    public enum Act {
        SIGMOID, RELU, ELU, TANH;

        NDArray apply(NDArray z) {
            return switch (this) {
                case SIGMOID -> Activation.sigmoid(z);
                case RELU -> NdConstants.maximum(z, 0);
                case ELU -> NdConstants.maximum(z, 0).add(NdConstants.minimum(z, 0).exp()).sub(1);
                case TANH -> z.tanh();
            };
        }

        /** Derivative at pre-activation z, given the activation a = f(z). */
        NDArray derivative(NDArray z, NDArray a) {
            return switch (this) {
                case SIGMOID -> a.mul(a.neg().add(1));
                case RELU -> z.gt(0).toType(DataType.FLOAT32, false);
                case ELU -> NDArrays.where(z.gt(0), z.onesLike(), a.add(1));
                case TANH -> a.square().neg().add(1);
            };
        }
    }

    private final ImageMinibatches data;
    private final int[] sizes;
    private final Act act;
    private final ImageTaskOptions options;
    private final int dimension;

    /**
     * The specification's MLP: N(0, 0.1^2) parameters, i.i.d. minibatches.
     *
     * @param data training examples; copied to {@code manager}, which must outlive the task
     */
    public MlpTask(LabeledImages data, NDManager manager, int hidden, int layers, Act act, int batchSize) {
        this(data, manager, hidden, layers, act, ImageTaskOptions.of(batchSize));
    }

    /**
     * @param data training examples; copied to {@code manager}, which must outlive the task
     * @param options batch size, initialisation and minibatch order
     * @throws IllegalArgumentException for fewer than 1 hidden unit or a negative number of layers
     */
    public MlpTask(LabeledImages data, NDManager manager, int hidden, int layers, Act act, ImageTaskOptions options) {
        this(new ImageMinibatches(data, manager, options.batchSize()), data.imageSize(), data.numClasses(), hidden,
                layers, act, options);
    }

    private MlpTask(ImageMinibatches data, int inputs, int classes, int hidden, int layers, Act act,
            ImageTaskOptions options) {
        if (hidden < 1 || layers < 0) {
            throw new IllegalArgumentException("an MLP needs at least 1 hidden unit and 0 or more hidden layers, got "
                    + hidden + " units and " + layers + " layers");
        }
        this.data = data;
        this.act = act;
        this.options = options;
        this.sizes = new int[layers + 2];
        sizes[0] = inputs;
        for (int l = 1; l <= layers; l++) {
            sizes[l] = hidden;
        }
        sizes[layers + 1] = classes;
        int d = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            d += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        this.dimension = d;
    }

    /**
     * Another MLP on the same examples, minibatch size and order, sharing this one's copy of the data (so a
     * family of architectures costs one copy of the data set), with the initialisation {@code init}.
     */
    public MlpTask variant(int hidden, int layers, Act act, ParameterInit init) {
        return new MlpTask(data, sizes[0], sizes[sizes.length - 1], hidden, layers, act, options.withInit(init));
    }

    /** The base MLP of the specification: one hidden layer of 20 sigmoid units, batch 128. */
    public static MlpTask base(LabeledImages data, NDManager manager) {
        return new MlpTask(data, manager, 20, 1, Act.SIGMOID, 128);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int imageSize() {
        return sizes[0];
    }

    @Override
    public NDArray initialParameters(NDManager manager, Rng rng) {
        List<ParameterInit.Block> blocks = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            blocks.add(ParameterInit.Block.kernel(sizes[l] * sizes[l + 1], sizes[l], sizes[l + 1]));
            blocks.add(ParameterInit.Block.bias(sizes[l + 1]));
        }
        return options.init().draw(blocks, manager, rng);
    }

    @Override
    public Object sampleBatch(Rng rng) {
        return data.sample(rng);
    }

    @Override
    public List<Object> sampleBatches(Rng rng, int steps) {
        return data.batches(rng, steps, options.batching());
    }

    @Override
    public NDArray loss(NDArray theta, Object batch) {
        NDArray logits = logits(theta, data.images(batch, theta));
        NDArray y = data.oneHotLabels(batch, theta);
        return NdConstants.quotient(logits.logSoftmax(1).mul(y).sum(), -y.getShape().get(0));
    }

    @Override
    public NDArray logits(NDArray theta, NDArray images) {
        List<NDArray[]> layers = unpack(theta);
        NDArray a = images;
        for (int l = 0; l < layers.size(); l++) {
            NDArray z = a.matMul(layers.get(l)[0]).add(layers.get(l)[1]);
            a = l + 1 < layers.size() ? act.apply(z) : z;
        }
        return a;
    }

    @Override
    public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
        List<NDArray[]> layers = unpack(theta);
        List<NDArray> inputs = new ArrayList<>();
        List<NDArray> pre = new ArrayList<>();
        NDArray a = data.images(batch, theta);
        int n = (int) a.getShape().get(0);
        for (int l = 0; l < layers.size(); l++) {
            inputs.add(a);
            NDArray z = a.matMul(layers.get(l)[0]).add(layers.get(l)[1]);
            pre.add(z);
            a = l + 1 < layers.size() ? act.apply(z) : z;
        }
        NDArray y = data.oneHotLabels(batch, theta);
        NDArray logp = a.logSoftmax(1);
        NDArray loss = logp.mul(y).sum().div(-n);
        NDArray dz = logp.exp().sub(y).div(n);
        NDArray[] grads = new NDArray[2 * layers.size()];
        for (int l = layers.size() - 1; l >= 0; l--) {
            grads[2 * l] = inputs.get(l).transpose().matMul(dz).reshape(-1);
            grads[2 * l + 1] = dz.sum(new int[] {0});
            if (l > 0) {
                NDArray da = dz.matMul(layers.get(l)[0].transpose());
                dz = da.mul(act.derivative(pre.get(l - 1), inputs.get(l)));
            }
        }
        return new LossAndGradient(loss, NDArrays.concat(new NDList(grads)));
    }

    /** Views of theta as {kernel [in, out], bias [out]} per layer. */
    private List<NDArray[]> unpack(NDArray theta) {
        List<NDArray[]> out = new ArrayList<>();
        long at = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int o = sizes[l + 1];
            NDArray w = theta.get(at + ":" + (at + (long) in * o)).reshape(in, o);
            at += (long) in * o;
            NDArray b = theta.get(at + ":" + (at + o));
            at += o;
            out.add(new NDArray[] {w, b});
        }
        return out;
    }
}
