package org.rnnprop.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small models and helpers shared by the optimizer tests. */
final class TestModels {
    private TestModels() {
    }

    /**
     * One parameter {@code theta} of n coordinates, output {@code x * theta}: with {@code x = 1} the gradient of
     * {@code sum(G * output)} with respect to theta is exactly G.
     */
    static final class ThetaBlock extends AbstractBlock {
        final Parameter theta;
        private final long n;

        ThetaBlock(long n) {
            this.n = n;
            theta = addParameter(Parameter.builder().setName("theta").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(n)).optInitializer(Initializer.ZEROS).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            return new NDList(x.mul(store.getValue(theta, x.getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(n)};
        }
    }

    /** A trainer for a {@link ThetaBlock} of n coordinates, initialised to zero. */
    static Trainer thetaTrainer(Model model, long n, Optimizer optimizer) {
        model.setBlock(new ThetaBlock(n));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
        trainer.initialize(new Shape(n));
        return trainer;
    }

    /** Backward of {@code sum(G * theta)} (so the gradient is G) and one trainer step. */
    static void stepWithGradient(Trainer trainer, float[] gradient) {
        try (NDManager step = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDArray x = step.ones(new Shape(gradient.length));
            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
            collector.backward(out.mul(step.create(gradient)).sum());
        }
        trainer.step();
    }

    static ThetaBlock theta(Trainer trainer) {
        return (ThetaBlock) trainer.getModel().getBlock();
    }

    /** Overwrites a parameter's values (through a detached view, so from any thread). */
    static void setValues(Parameter p, float value) {
        try (NDArray view = p.getArray().stopGradient()) {
            view.set(new NDIndex("..."), value);
        }
    }

    /** The classifier used by the training tests: 4 -> 16 tanh -> 3. */
    static Block classifier() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(3).build());
    }

    /** A classifier model with seeded random initial parameters. */
    static Trainer classifierTrainer(Model model, Optimizer optimizer, long seed) {
        return classifierTrainer(model, new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer), seed);
    }

    /**
     * A classifier whose parameters are read from a saved model, for resuming. (Parameters must be loaded
     * before the trainer exists: a trainer keeps using the arrays it first saw.)
     */
    static Trainer loadedClassifierTrainer(Model model, Optimizer optimizer, java.nio.file.Path dir, String name)
            throws java.io.IOException, ai.djl.MalformedModelException {
        model.setBlock(classifier());
        model.load(dir, name);
        Trainer trainer = model.newTrainer(
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
        trainer.initialize(new Shape(1, 4));
        return trainer;
    }

    /** As above, with a given training configuration. */
    static Trainer classifierTrainer(Model model, DefaultTrainingConfig config, long seed) {
        model.setBlock(classifier());
        Trainer trainer = model.newTrainer(config);
        Engine.getInstance().setRandomSeed((int) seed);
        trainer.initialize(new Shape(1, 4));
        return trainer;
    }

    /** Synthetic 3-class data: features drawn around one of three centres, n samples. */
    static float[][] data(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int k = 0; k < 4; k++) {
                x[i * 4 + k] = (k == c ? 2f : 0f) + (float) r.nextGaussian() * 0.5f;
            }
        }
        return new float[][] {x, y};
    }

    /** One hand-written training step on a batch; returns the loss. */
    static float trainStep(Trainer trainer, float[] x, float[] y) {
        float loss;
        try (NDManager batch = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDArray features = batch.create(x, new Shape(y.length, 4));
            NDArray labels = batch.create(y, new Shape(y.length));
            NDArray pred = trainer.forward(new NDList(features)).singletonOrThrow();
            NDArray l = trainer.getLoss().evaluate(new NDList(labels), new NDList(pred));
            collector.backward(l);
            loss = l.getFloat();
        }
        trainer.step();
        return loss;
    }

    /** All parameter values of a model, in block order. */
    static List<float[]> parameters(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : model.getBlock().getParameters().values()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    /** Sum of |gradient| over every parameter. */
    static double gradientMass(Model model) {
        double s = 0;
        for (Parameter p : model.getBlock().getParameters().values()) {
            try (NDArray g = p.getArray().getGradient(); NDArray a = g.abs(); NDArray sum = a.sum()) {
                s += sum.getFloat();
            }
        }
        return s;
    }
}
