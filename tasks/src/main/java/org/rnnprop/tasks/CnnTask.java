package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.djl.internal.NdConstants;

/**
 * The specification's CNN optimizees (docs/SPEC.md §4): 3x3 convolutions with stride 1, SAME padding, bias and ReLU; 2x2
 * max pooling with stride 2; dense layers, ReLU on all but the last; softmax cross-entropy averaged over the
 * batch; all parameters drawn from N(0, 0.1^2); a fresh minibatch of {@code batchSize} examples every step.
 * The architecture is a string such as {@code "conv16-conv16-pool-fc10"}. Convolutions may also have another
 * (odd, for SAME) kernel size and VALID padding ({@code conv20k5valid}), as LeNet-5 has; other initialisations
 * and epoch-style minibatches come through {@link ImageTaskOptions}. Backpropagation is written out by hand
 * (the convolutions' gradients are convolutions too), so, like every task, it can run inside a meta-training
 * gradient collector and several can run on different threads at once.
 *
 * <p>Flat layout, layer by layer: a convolution's kernel [out, in, k, k] then its bias [out]; a dense
 * layer's kernel [in, out] row-major then its bias [out]. Features are flattened in (channel, row, column)
 * order before the first dense layer, where TensorFlow uses (row, column, channel): with i.i.d. initial weights
 * the two are the same optimizee up to a permutation of coordinates.
 */
public final class CnnTask implements ImageClassifier {
    /** conv16-conv16-pool-fc10: 33,850 parameters on MNIST, 43,738 on CIFAR-10. */
    public static final String CCPF = "conv16-conv16-pool-fc10";
    /** conv16-conv16-pool-conv32-conv32-pool-fc64-fc10: 117,434 parameters on MNIST. */
    public static final String CCPCCPFF = "conv16-conv16-pool-conv32-conv32-pool-fc64-fc10";
    /**
     * LeNet-5 as the frameworks' MNIST examples build it: 5x5 VALID convolutions of 20 and 50 filters, each
     * followed by 2x2 max pooling, a dense layer of 500 ReLU units, 10 outputs; 431,080 parameters on MNIST.
     * Here the convolutions are followed by ReLU, as in every convolution of this task.
     */
    public static final String LENET5 = "conv20k5valid-pool-conv50k5valid-pool-fc500-fc10";

    private static final Shape UNIT = new Shape(1, 1);
    private static final Pattern CONV = Pattern.compile("conv(\\d+)(?:k(\\d+))?(valid)?");

    private enum Kind { CONV, POOL, DENSE }

    /**
     * One layer: its kind, parameter sizes, kernel size and padding (convolutions), where its parameters start,
     * and the shape of its input.
     */
    private record Layer(Kind kind, int in, int out, int k, int pad, long offset, Shape input) {
        long kernelSize() {
            return switch (kind) {
                case CONV -> (long) out * in * k * k;
                case DENSE -> (long) in * out;
                case POOL -> 0;
            };
        }

        long size() {
            return kind == Kind.POOL ? 0 : kernelSize() + out;
        }

        Shape padding() {
            return new Shape(pad, pad);
        }
    }

    private final ImageMinibatches data;
    private final ImageTaskOptions options;
    private final Shape imageShape;
    private final List<Layer> layers = new ArrayList<>();
    private final int dimension;

    /**
     * The specification's CNN: N(0, 0.1^2) parameters, i.i.d. minibatches.
     *
     * @param data training examples; copied to {@code manager}, which must outlive the task
     * @param architecture as {@link #CnnTask(LabeledImages, NDManager, String, ImageTaskOptions)} takes it
     */
    public CnnTask(LabeledImages data, NDManager manager, String architecture, int batchSize) {
        this(data, manager, architecture, ImageTaskOptions.of(batchSize));
    }

    /**
     * @param data training examples; copied to {@code manager}, which must outlive the task
     * @param architecture layers separated by {@code -}: {@code convN} (N 3x3 filters, SAME padding),
     *     {@code convNkK} (N KxK filters, K odd, SAME padding), either with the suffix {@code valid} for VALID
     *     padding (e.g. {@code conv20k5valid}); {@code pool}; {@code fcN} (N units); the last must be {@code fc}
     *     with one unit per class
     * @param options batch size, initialisation and minibatch order
     * @throws IllegalArgumentException for an unknown layer, an even SAME kernel, a kernel larger than its
     *     input, pooling an odd size, a convolution after a dense layer, or a last layer that does not match the
     *     classes
     */
    public CnnTask(LabeledImages data, NDManager manager, String architecture, ImageTaskOptions options) {
        this.imageShape = new Shape(data.channels(), data.height(), data.width());
        this.options = options;
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int features = -1; // set once the layers turn dense
        long offset = 0;
        for (String token : architecture.split("-")) {
            Layer layer;
            Matcher conv = CONV.matcher(token);
            if (conv.matches() && features < 0) {
                int filters = Integer.parseInt(conv.group(1));
                int k = conv.group(2) == null ? 3 : Integer.parseInt(conv.group(2));
                boolean valid = conv.group(3) != null;
                if (filters < 1 || k < 1 || !valid && k % 2 == 0 || k > h || k > w) {
                    throw new IllegalArgumentException("bad convolution '" + token + "' in '" + architecture
                            + "' on " + h + "x" + w + " inputs (filters and kernel size at least 1, an odd kernel "
                            + "with SAME padding, a kernel no larger than its input)");
                }
                int pad = valid ? 0 : (k - 1) / 2;
                layer = new Layer(Kind.CONV, c, filters, k, pad, offset, new Shape(c, h, w));
                c = filters;
                h += 2 * pad - k + 1;
                w += 2 * pad - k + 1;
            } else if (token.equals("pool") && features < 0) {
                if (h % 2 != 0 || w % 2 != 0) {
                    throw new IllegalArgumentException("2x2 pooling needs even sizes, got " + h + "x" + w);
                }
                layer = new Layer(Kind.POOL, c, c, 0, 0, offset, new Shape(c, h, w));
                h /= 2;
                w /= 2;
            } else if (token.startsWith("fc")) {
                int in = features < 0 ? c * h * w : features;
                features = Integer.parseInt(token.substring(2));
                layer = new Layer(Kind.DENSE, in, features, 0, 0, offset, new Shape(in));
            } else {
                throw new IllegalArgumentException("bad layer '" + token + "' in '" + architecture
                        + "' (expected convN, convNkK, either with the suffix valid, pool or fcN, with no conv or "
                        + "pool after an fc)");
            }
            layers.add(layer);
            offset += layer.size();
        }
        if (layers.get(layers.size() - 1).kind != Kind.DENSE || features != data.numClasses()) {
            throw new IllegalArgumentException("'" + architecture + "' must end with fc" + data.numClasses());
        }
        this.dimension = Math.toIntExact(offset);
        this.data = new ImageMinibatches(data, manager, options.batchSize());
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int imageSize() {
        return Math.toIntExact(imageShape.size());
    }

    @Override
    public NDArray initialParameters(NDManager manager, Rng rng) {
        List<ParameterInit.Block> blocks = new ArrayList<>();
        for (Layer l : layers) {
            int area = l.kind == Kind.CONV ? l.k * l.k : 1;
            if (l.kind != Kind.POOL) {
                blocks.add(ParameterInit.Block.kernel(Math.toIntExact(l.kernelSize()), l.in * area, l.out * area));
                blocks.add(ParameterInit.Block.bias(l.out));
            }
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
    public NDArray logits(NDArray theta, NDArray images) {
        return forward(theta, images, null, null);
    }

    @Override
    public NDArray loss(NDArray theta, Object batch) {
        return forward(theta, batch, null, null, null);
    }

    @Override
    public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
        List<NDArray> inputs = new ArrayList<>();
        List<NDArray> pre = new ArrayList<>();
        NDArray[] out = new NDArray[1];
        NDArray loss = forward(theta, batch, inputs, pre, out);
        int n = (int) inputs.get(0).getShape().get(0);
        NDArray dOut = out[0]; // gradient of the loss with respect to the logits
        NDArray[] grads = new NDArray[2 * layers.size()];
        for (int l = layers.size() - 1; l >= 0; l--) {
            Layer layer = layers.get(l);
            NDArray in = inputs.get(l);
            boolean last = l == layers.size() - 1;
            NDArray dIn = null;
            switch (layer.kind) {
                case DENSE -> {
                    NDArray dPre = last ? dOut : dOut.mul(reluDerivative(pre.get(l)));
                    NDArray x = in.reshape(n, layer.in);
                    grads[2 * l] = x.transpose().matMul(dPre).reshape(-1);
                    grads[2 * l + 1] = dPre.sum(new int[] {0});
                    if (l > 0) {
                        dIn = dPre.matMul(kernel(theta, layer).transpose()).reshape(in.getShape());
                    }
                }
                case CONV -> {
                    NDArray dPre = dOut.mul(reluDerivative(pre.get(l)));
                    // dW[f,c,i,j] = sum_{n,y,x} in[n,c,y+i-p,x+j-p] dPre[n,f,y,x] (p the padding): a convolution
                    // of the input, batch and channels swapped, with dPre as the kernel.
                    NDArray dW = Conv2d.conv2d(in.transpose(1, 0, 2, 3), dPre.transpose(1, 0, 2, 3), null, UNIT,
                            layer.padding(), UNIT, 1).singletonOrThrow();
                    grads[2 * l] = dW.transpose(1, 0, 2, 3).reshape(-1);
                    grads[2 * l + 1] = dPre.sum(new int[] {0, 2, 3});
                    if (l > 0) {
                        // The transposed convolution: the kernel flipped, input and output channels swapped,
                        // padded by k - 1 - p so that the result has the input's size.
                        NDArray back = kernel(theta, layer).transpose(1, 0, 2, 3).flip(2, 3);
                        int q = layer.k - 1 - layer.pad;
                        dIn = Conv2d.conv2d(dPre, back, null, UNIT, new Shape(q, q), UNIT, 1).singletonOrThrow();
                    }
                }
                case POOL -> dIn = poolBackward(in, dOut);
            }
            dOut = dIn;
        }
        NDList parts = new NDList();
        for (NDArray g : grads) {
            if (g != null) {
                parts.add(g);
            }
        }
        return new LossAndGradient(loss, NDArrays.concat(parts));
    }

    /**
     * The loss; when {@code inputs} is given, also every layer's input and pre-activation and, in
     * {@code dLogits[0]}, the gradient of the loss with respect to the logits.
     */
    private NDArray forward(NDArray theta, Object batch, List<NDArray> inputs, List<NDArray> pre, NDArray[] dLogits) {
        NDArray a = forward(theta, data.images(batch, theta), inputs, pre);
        int n = (int) a.getShape().get(0);
        NDArray y = data.oneHotLabels(batch, theta);
        NDArray logp = a.logSoftmax(1);
        if (dLogits != null) {
            dLogits[0] = logp.exp().sub(y).div(n);
        }
        return NdConstants.quotient(logp.mul(y).sum(), -n);
    }

    /** The logits of images [n, imageSize]; when {@code inputs} is given, every layer's input and pre-activation. */
    private NDArray forward(NDArray theta, NDArray images, List<NDArray> inputs, List<NDArray> pre) {
        int n = (int) images.getShape().get(0);
        NDArray a = images.reshape(new Shape(n).addAll(imageShape));
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (inputs != null) {
                inputs.add(a);
            }
            NDArray z = switch (layer.kind) {
                case CONV -> Conv2d.conv2d(a, kernel(theta, layer), bias(theta, layer), UNIT, layer.padding(),
                        UNIT, 1).singletonOrThrow();
                case POOL -> Pool.maxPool2d(a, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                case DENSE -> a.reshape(n, layer.in).matMul(kernel(theta, layer)).add(bias(theta, layer));
            };
            if (pre != null) {
                pre.add(z);
            }
            boolean last = l == layers.size() - 1;
            a = layer.kind == Kind.POOL || last ? z : Activation.relu(z);
        }
        return a;
    }

    /** Routes each pooled gradient to the (first) maximum of its 2x2 window, as the forward max chose it. */
    private static NDArray poolBackward(NDArray in, NDArray dOut) {
        Shape s = in.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h2 = s.get(2) / 2;
        long w2 = s.get(3) / 2;
        NDArray windows = in.reshape(n, c, h2, 2, w2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h2, w2, 4);
        NDArray mask = windows.argMax(4).oneHot(4);
        return mask.mul(dOut.expandDims(4)).reshape(n, c, h2, w2, 2, 2).transpose(0, 1, 2, 4, 3, 5)
                .reshape(n, c, 2 * h2, 2 * w2);
    }

    private static NDArray reluDerivative(NDArray z) {
        return z.gt(0).toType(DataType.FLOAT32, false);
    }

    private static NDArray kernel(NDArray theta, Layer layer) {
        NDArray k = theta.get(layer.offset + ":" + (layer.offset + layer.kernelSize()));
        return layer.kind == Kind.CONV ? k.reshape(layer.out, layer.in, layer.k, layer.k)
                : k.reshape(layer.in, layer.out);
    }

    private static NDArray bias(NDArray theta, Layer layer) {
        long at = layer.offset + layer.kernelSize();
        return theta.get(at + ":" + (at + layer.out));
    }
}
