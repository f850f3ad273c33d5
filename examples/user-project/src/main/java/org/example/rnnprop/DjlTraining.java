package org.example.rnnprop;

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
import ai.djl.training.loss.Loss;
import org.rnnprop.djl.RnnpropOptimizer;

/** An MLP trained in DJL with the shipped RNNprop, full batch; returns the loss of every step. */
final class DjlTraining {
    private DjlTraining() {
    }

    static float[] train(SyntheticData data, int steps) {
        // The optimizer's state is native memory that neither Trainer nor Model frees: close it.
        try (RnnpropOptimizer rnnprop = RnnpropOptimizer.builder().optPretrained("rnnprop").build();
                Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::sigmoid)
                    .add(Linear.builder().setUnits(SyntheticData.CLASSES).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(rnnprop);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, SyntheticData.FEATURES));
                float[] losses = new float[steps];
                for (int s = 0; s < steps; s++) {
                    losses[s] = step(trainer, data);
                }
                return losses;
            }
        }
    }

    private static float step(Trainer trainer, SyntheticData data) {
        float loss;
        try (NDManager batch = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDArray x = batch.create(data.features(), new Shape(data.examples(), SyntheticData.FEATURES));
            float[] labels = new float[data.examples()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = data.labels()[i];
            }
            NDArray y = batch.create(labels, new Shape(data.examples()));
            NDArray l = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
            collector.backward(l);
            loss = l.getFloat();
        }
        trainer.step();
        return loss;
    }
}
