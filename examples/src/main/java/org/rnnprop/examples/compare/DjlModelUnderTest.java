package org.rnnprop.examples.compare;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.examples.data.Minibatches;

/** {@link ModelUnderTest#djl}: a block trained with a plain gradient-collector loop, one step per minibatch. */
final class DjlModelUnderTest extends SeededModel<Map<String, float[]>> {
    private final Supplier<Block> blocks;
    private final Shape exampleShape;

    DjlModelUnderTest(String name, Supplier<Block> blocks, Shape exampleShape) {
        super(name);
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.exampleShape = Objects.requireNonNull(exampleShape, "exampleShape");
    }

    @Override
    public TrainingRun train(Candidate candidate, long seed, int[][] batches, LabeledImages train,
            LabeledImages test) {
        if (exampleShape.size() != train.imageSize()) {
            throw new IllegalArgumentException(name() + ": example shape " + exampleShape + " holds "
                    + exampleShape.size() + " values, the training examples " + train.imageSize());
        }
        Optimizer optimizer = candidate.djlOptimizer();
        try (Model model = Model.newInstance(name())) {
            Block block = blocks.get();
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed((int) seed);
                trainer.initialize(new Shape(1).addAll(exampleShape));
                startFrom(block, seed);
                float[] losses = new float[batches.length];
                long start = System.nanoTime();
                for (int s = 0; s < batches.length; s++) {
                    losses[s] = step(trainer, train, batches[s]);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new TrainingRun(losses, test == null ? Double.NaN : accuracy(trainer, test), seconds);
            }
        } finally {
            if (optimizer instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the optimizer of '" + candidate.label() + "' failed", e);
                }
            }
        }
    }

    /** The first run of a seed records its initial values (parameter name to values); the later ones copy them. */
    private void startFrom(Block block, long seed) {
        Map<String, float[]> values = initialParameters(seed, () -> {
            Map<String, float[]> v = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                v.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return v;
        });
        for (Pair<String, Parameter> p : block.getParameters()) {
            float[] v = values.get(p.getKey());
            if (v == null || v.length != p.getValue().getArray().size()) {
                throw new IllegalStateException(name() + ": the blocks made for one comparison differ at parameter "
                        + p.getKey() + "; the block supplier must make the same architecture every time");
            }
            p.getValue().getArray().set(v);
        }
    }

    /** One step; returns the loss before the update. */
    private float step(Trainer trainer, LabeledImages data, int[] batch) {
        float loss;
        try (NDManager m = trainer.getManager().newSubManager();
                GradientCollector gc = trainer.newGradientCollector()) {
            NDArray x = m.create(Minibatches.images(data, batch), new Shape(batch.length).addAll(exampleShape));
            NDArray y = m.create(Minibatches.labels(data, batch));
            NDArray l = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
            gc.backward(l);
            loss = l.getFloat();
        }
        trainer.step();
        return loss;
    }

    private double accuracy(Trainer trainer, LabeledImages test) {
        return HeldOutAccuracy.of(test, indices -> {
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray x = m.create(Minibatches.images(test, indices), new Shape(indices.length).addAll(exampleShape));
                return trainer.evaluate(new NDList(x)).singletonOrThrow().argMax(1).toLongArray();
            }
        });
    }
}
