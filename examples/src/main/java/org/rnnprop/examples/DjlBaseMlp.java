package org.rnnprop.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.examples.data.Minibatches;
import org.rnnprop.djl.RnnpropOptimizer;
import org.rnnprop.examples.BaseMlpTraining.InitialParameters;
import org.rnnprop.examples.BaseMlpTraining.OptimizerChoice;

import static org.rnnprop.examples.BaseMlpTraining.CLASSES;
import static org.rnnprop.examples.BaseMlpTraining.HIDDEN;
import static org.rnnprop.examples.BaseMlpTraining.INPUTS;

/** The base MLP in DJL: {@code Linear(20) -> sigmoid -> Linear(10)}, softmax cross-entropy, a plain training loop. */
final class DjlBaseMlp {
    private DjlBaseMlp() {
    }

    static BaseMlpTraining.Run train(OptimizerChoice choice, InitialParameters init, LabeledImages train,
            int[][] batches, LabeledImages test) {
        Optimizer optimizer = optimizer(choice);
        Linear hidden = Linear.builder().setUnits(HIDDEN).build();
        Linear output = Linear.builder().setUnits(CLASSES).build();
        try (Model model = Model.newInstance("base-mlp")) {
            model.setBlock(new SequentialBlock().add(hidden).add(Activation::sigmoid).add(output));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(config)) {
                // The given values, not DJL's initializers (set after newTrainer, which installs the config's).
                // DJL's Linear weight is [out, in]: the transpose of the spec's [in, out] kernel.
                hidden.setInitializer(constant(InitialParameters.transpose(init.w1(), INPUTS, HIDDEN)), "weight");
                hidden.setInitializer(constant(init.b1()), "bias");
                output.setInitializer(constant(InitialParameters.transpose(init.w2(), HIDDEN, CLASSES)), "weight");
                output.setInitializer(constant(init.b2()), "bias");
                trainer.initialize(new Shape(1, INPUTS));

                float[] losses = new float[batches.length];
                long start = System.nanoTime();
                for (int s = 0; s < batches.length; s++) {
                    losses[s] = step(trainer, train, batches[s]);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = test == null ? Double.NaN : accuracy(trainer, test);
                return new BaseMlpTraining.Run(BaseMlpTraining.Framework.DJL, choice, losses, accuracy, seconds);
            }
        } finally {
            if (optimizer instanceof RnnpropOptimizer r) {
                r.close();
            }
        }
    }

    /** One step on one minibatch; returns the loss before the update. */
    private static float step(Trainer trainer, LabeledImages data, int[] batch) {
        float loss;
        try (NDManager m = trainer.getManager().newSubManager();
                GradientCollector gc = trainer.newGradientCollector()) {
            NDArray x = m.create(Minibatches.images(data, batch), new Shape(batch.length, INPUTS));
            NDArray labels = m.create(Minibatches.labels(data, batch), new Shape(batch.length));
            NDArray l = trainer.getLoss().evaluate(new NDList(labels), trainer.forward(new NDList(x)));
            gc.backward(l);
            loss = l.getFloat();
        }
        trainer.step();
        return loss;
    }

    private static double accuracy(Trainer trainer, LabeledImages test) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = m.create(test.images(), new Shape(test.numExamples(), INPUTS));
            NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
            return BaseMlpTraining.accuracy(logits.argMax(1).toLongArray(), test.labels());
        }
    }

    private static Optimizer optimizer(OptimizerChoice choice) {
        if (choice instanceof BaseMlpTraining.Learned l) {
            return RnnpropOptimizer.builder().optPretrained(l.name()).build();
        }
        // DJL's Adam defaults are TensorFlow's: beta1 0.9, beta2 0.999, epsilon 1e-8.
        BaseMlpTraining.Adam a = (BaseMlpTraining.Adam) choice;
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) a.learningRate())).build();
    }

    /** An initializer that returns the given values in the requested shape. */
    private static Initializer constant(float[] values) {
        return (manager, shape, dataType) -> {
            if (shape.size() != values.length) {
                throw new IllegalStateException("parameter of shape " + shape + " but " + values.length + " values");
            }
            return manager.create(values, shape).toType(dataType, false);
        };
    }
}
