package org.rnnprop.meta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.core.Tensor;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdWeights;
import org.rnnprop.tasks.ConvexTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.ScaledTask;
import org.rnnprop.tasks.SumTask;
import org.rnnprop.tasks.Task;

/**
 * The paper's meta-training loop. One iteration draws a task (Random Scaling and the convex term as the recipe
 * says), zeroes the optimizer state, and runs {@code steps} optimizee steps as truncated periods of
 * {@code unroll}; each period is one meta-Adam update, and the parameters and optimizer state carry into the
 * next period as constants.
 *
 * <p>Optimizee gradients are constants, so the meta-gradient of a period is the gradient of the surrogate
 * {@code sum_t w_t <g_t, theta_t(phi)>}: {@code g_t} is the gradient the rollout already computed at
 * {@code theta_t}, and {@code theta_t(phi)} is the period's start plus the optimizer's increments. The optimizee
 * itself never enters the meta-graph. {@code w_t} is 1 on the period's last loss for RNNprop and 1/unroll on
 * each loss for DMoptimizer. {@code MetaGradientTest} checks this against differentiating the loss directly.
 *
 * <p>By default ({@link MetaGradientMethod#HAND}) the trajectory runs on the core's fast kernel and each period's
 * meta-gradient comes from {@link HandReplay}, the backward pass written by hand; with
 * {@link MetaGradientMethod#AUTOGRAD} the optimizer's increments are recorded by the engine's autograd, the
 * reference the hand-written pass is tested against.
 */
public final class MetaTrainer {
    private TrainingConfig config;
    private final Task baseTask;
    private final Hyperparameters hyperparameters;
    private final Map<String, float[]> phi;
    private MetaAdam adam;
    private final Timings timings = new Timings();
    private long iteration;
    private final Curriculum curriculum;
    private TaskFamily family;
    private PeriodBackward handReplay;

    /** Time spent in each part of the work, in nanoseconds, since construction. */
    public static final class Timings {
        public long optimizee;
        public long optimizerForward;
        public long metaBackward;
        public long total;
        public long iterations;
    }

    /**
     * Per-iteration outcome.
     *
     * @param iteration the 0-based index of the iteration just run
     * @param metaLoss the mean of the periods' meta-losses
     * @param finalLoss the loss at the last step of the iteration
     * @param skippedUpdates periods whose meta-gradient was not finite (their update was skipped)
     * @param largestGradientNorm the largest L2 norm of a period's applied meta-gradient (NaN if none applied):
     *     spikes here are what can freeze meta-Adam (see {@link MetaAdam#relativeSteps()})
     * @param trajectory for the long-horizon recipe, the trajectory trained ("500 steps, mlp 2x57 tanh ..."),
     *     else empty
     * @param stepsRun optimizee steps run
     */
    public record IterationResult(long iteration, double metaLoss, double finalLoss, int skippedUpdates,
            double largestGradientNorm, String trajectory, int stepsRun) {
    }

    /** A new run from the specification's initialisation (seeded by the config's seed). */
    public MetaTrainer(TrainingConfig config, Task baseTask) {
        this(config, baseTask, SpecInitialization.create(config.recipe().kind(), config.seed()));
    }

    /** A new run from the given weights (a warm start); they must be of the recipe's kind. */
    public MetaTrainer(TrainingConfig config, Task baseTask, OptimizerWeights start) {
        this(config, baseTask, start, 0, new MetaAdam(config.metaLearningRate()));
        if (start.kind() != config.recipe().kind()) {
            throw new IllegalArgumentException("recipe " + config.recipe().id() + " trains " + config.recipe().kind()
                    + ", the start weights are " + start.kind());
        }
    }

    /** A run resumed at {@code iteration} with the given network and meta-optimizer state. */
    MetaTrainer(TrainingConfig config, Task baseTask, OptimizerWeights start, long iteration, MetaAdam adam) {
        this.config = config;
        this.baseTask = baseTask;
        this.hyperparameters = start.hyperparameters();
        this.phi = new LinkedHashMap<>();
        start.tensors().forEach((k, t) -> phi.put(k, t.data().clone()));
        this.iteration = iteration;
        this.adam = adam;
        this.curriculum = config.longHorizon() == null ? null : new Curriculum(config.longHorizon());
        if (config.longHorizon() != null) {
            requireTensors(config.longHorizon().esTensors());
        }
    }

    /** The long-horizon recipe's curriculum, or null for the paper's recipes. */
    Curriculum curriculum() {
        return curriculum;
    }

    /** Sets the optimizees of the long-horizon recipe; needed before its first iteration. */
    void useFamily(TaskFamily taskFamily) {
        this.family = taskFamily;
    }

    TaskFamily family() {
        return family;
    }

    /** Replaces the network (the curriculum going back to a stage's best); meta-Adam's moments carry over. */
    void restoreNetwork(Map<String, float[]> network) {
        if (!network.keySet().equals(phi.keySet())) {
            throw new IllegalArgumentException("network tensors " + network.keySet() + " are not " + phi.keySet());
        }
        network.forEach((k, v) -> {
            if (v.length != phi.get(k).length) {
                throw new IllegalArgumentException(k + ": " + v.length + " values, expected " + phi.get(k).length);
            }
        });
        network.forEach((k, v) -> phi.put(k, v.clone()));
    }

    /** The current network's values (copies). */
    Map<String, float[]> network() {
        Map<String, float[]> out = new LinkedHashMap<>();
        phi.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Continues with another meta-learning rate and meta-gradient clipping from the next iteration on; the network
     * and meta-Adam's moments carry over. Everything else of the config must stay as it is.
     */
    public void changeSchedule(double metaLearningRate, double metaGradientClip) {
        config = config.withMetaLearningRate(metaLearningRate).withMetaGradientClip(metaGradientClip);
        adam = adam.withLearningRate(metaLearningRate);
    }

    /**
     * Computes the meta-gradients by {@code method} from the next iteration on. {@code hand} and {@code autograd}
     * give the same meta-gradients up to float rounding, so a run may switch between them; {@code es} estimates
     * the whole trajectory's instead (long-horizon recipe only).
     */
    public void useMetaGradient(MetaGradientMethod method) {
        config = config.withMetaGradient(method);
    }

    /**
     * Continues with {@code pairs} antithetic pairs per meta-update at perturbation scale {@code sigma} on
     * {@code tensors} (empty: all) from the next iteration on (they matter under {@link MetaGradientMethod#ES}).
     */
    public void useEvolution(int pairs, double sigma, List<String> tensors) {
        if (config.longHorizon() == null) {
            throw new IllegalArgumentException("evolution strategies need the long-horizon recipe (rnnprop-long)");
        }
        requireTensors(tensors);
        config = config.withLongHorizon(config.longHorizon().withEvolution(pairs, sigma, tensors));
    }

    /** Refuses tensor names this network does not have, naming the ones it has. */
    private void requireTensors(List<String> names) {
        for (String n : names) {
            if (!phi.containsKey(n)) {
                throw new IllegalArgumentException("no tensor '" + n + "' to perturb; the network has "
                        + phi.keySet());
            }
        }
    }

    /** Completed iterations. */
    public long iteration() {
        return iteration;
    }

    public Timings timings() {
        return timings;
    }

    MetaAdam adam() {
        return adam;
    }

    /** The current network as weights with the given provenance. */
    public OptimizerWeights weights(Provenance provenance) {
        return weights(phi, provenance);
    }

    /** The task of iteration {@code it}: the base task with the recipe's tricks, drawn from the iteration's stream. */
    Task taskFor(Rng rng) {
        Recipe r = config.recipe();
        Task f = r.randomScaling() ? ScaledTask.random(baseTask, config.scaleF(), rng) : baseTask;
        if (!r.convexTerm()) {
            return f;
        }
        Task g = ConvexTask.random(config.convexDimension(), rng);
        if (r.randomScaling()) {
            g = ScaledTask.random(g, config.scaleG(), rng);
        }
        return new SumTask(List.of(f, g));
    }

    /** Runs the next iteration and applies its meta-updates. */
    public IterationResult runIteration(NDManager parent) {
        if (curriculum != null) {
            return runTrajectory(parent);
        }
        if (config.metaGradient() == MetaGradientMethod.AUTOGRAD) {
            return runRecorded(parent);
        }
        long start = System.nanoTime();
        Rng rng = Rng.of(config.seed(), iteration);
        Task task = taskFor(rng);
        int periods = config.steps() / config.unroll();
        Tally tally = new Tally();
        try (NDManager m = parent.newSubManager()) {
            KernelTrajectory trajectory = new KernelTrajectory(task, weights(Checkpoint.placeholder()), m, rng);
            for (int p = 0; p < periods; p++) {
                // every coordinate, never cut short: the exact meta-gradient of the paper's period
                SampledPeriod.Outcome out = kernelPeriod(trajectory, rng, 0, Double.POSITIVE_INFINITY, hand());
                tally.add(out.metaLoss(), out.lastLoss(), out.gradients());
                if (out.blewUp()) {
                    // a loss that is not finite: the trajectory is lost, the iteration's other periods skipped
                    tally.skipped += periods - p - 1;
                    break;
                }
            }
        }
        return finish(start, tally, periods, "", config.steps());
    }

    /**
     * An iteration of the paper's recipes the reference way: the library's NDArray step recorded by the engine's
     * autograd over each whole period ({@link MetaGradient}).
     */
    private IterationResult runRecorded(NDManager parent) {
        long start = System.nanoTime();
        Rng rng = Rng.of(config.seed(), iteration);
        Task task = taskFor(rng);
        int periods = config.steps() / config.unroll();
        Tally tally = new Tally();
        try (NDManager run = parent.newSubManager()) {
            NDArray theta = task.initialParameters(run, rng);
            NdState state = NdState.zeros(config.recipe().kind(), hyperparameters.hiddenSize(), task.dimension(), run);
            long t = 0;
            for (int p = 0; p < periods; p++) {
                try (NDManager period = run.newSubManager()) {
                    theta.attach(period); // everything of this period goes when it closes, but what we carry
                    for (NDArray a : state.toList()) {
                        a.attach(period);
                    }
                    NdWeights w = NdWeights.of(weights(Checkpoint.placeholder()), period);
                    MetaGradient.Period out = MetaGradient.period(w, task, rng, theta, state, t, config.unroll(),
                            config.objective(), timings);
                    t += config.unroll();
                    tally.add(out.metaLoss(), out.lastLoss(), out.gradients());
                    theta = out.theta();
                    state = out.state();
                    theta.attach(run);
                    for (NDArray a : state.toList()) {
                        a.attach(run);
                    }
                }
            }
        }
        return finish(start, tally, periods, "", config.steps());
    }

    /**
     * An iteration of the long-horizon recipe: one optimizee from the family, one trajectory of the curriculum's
     * length, a meta-update per period; a trajectory whose loss blows up ends there.
     */
    private IterationResult runTrajectory(NDManager parent) {
        if (family == null) {
            throw new IllegalStateException("the long-horizon recipe needs its task family (useFamily)");
        }
        if (config.metaGradient() == MetaGradientMethod.ES) {
            return runEvolution(parent);
        }
        long start = System.nanoTime();
        LongHorizon lh = config.longHorizon();
        Rng rng = Rng.of(config.seed(), iteration);
        int length = curriculum.trainingLength(rng, config.unroll());
        TaskFamily.Draw draw = family.draw(rng);
        // drawn only when imitation is on, so runs without it keep the random streams they always had
        MetaAdam teacher = lh.imitationFraction() > 0 && rng.nextDouble() < lh.imitationFraction()
                ? new MetaAdam(lh.imitationLearningRate()) : null;
        int periods = length / config.unroll();
        Tally tally = new Tally();
        int run = 0;
        boolean blewUp = false;
        int stepsRun = 0;
        try (NDManager m = parent.newSubManager()) {
            KernelTrajectory trajectory = new KernelTrajectory(draw.task(), weights(Checkpoint.placeholder()), m, rng);
            AutogradReplay replay = new AutogradReplay(m);
            PeriodBackward backward = config.metaGradient() == MetaGradientMethod.AUTOGRAD ? replay : hand();
            for (int p = 0; p < periods && !blewUp; p++) {
                SampledPeriod.Outcome out = teacher != null
                        ? imitationPeriod(trajectory, teacher, rng, lh.metaCoordinates(), replay)
                        : kernelPeriod(trajectory, rng, lh.metaCoordinates(), lh.blowUpFactor(), backward);
                run++;
                stepsRun += out.steps();
                tally.add(out.metaLoss(), out.lastLoss(), out.gradients());
                blewUp = out.blewUp();
            }
        }
        String note = length + " steps, " + draw.description() + (teacher == null ? ""
                : ", imitating Adam " + lh.imitationLearningRate()) + (blewUp ? ", ended at period " + run
                + " (loss blew up)" : "");
        return finish(start, tally, Math.max(1, run), note, stepsRun);
    }

    /**
     * An iteration of the long-horizon recipe by evolution strategies: a length from the curriculum, and per pair
     * an optimizee of its own, trained twice from the same start on the same minibatches, with the network
     * pushed along a random direction and against it; one meta-update from the estimate
     * ({@link EvolutionStrategies}). The pairs' runs share the machine's cores, one kernel thread each.
     */
    private IterationResult runEvolution(NDManager parent) {
        long start = System.nanoTime();
        LongHorizon lh = config.longHorizon();
        Rng rng = Rng.of(config.seed(), iteration);
        int length = curriculum.trainingLength(rng, config.unroll());
        long iterationSeed = rng.nextLong();
        int pairs = lh.esPairs();
        List<TaskFamily.Draw> draws = new ArrayList<>();
        long[] runSeeds = new long[pairs];
        for (int k = 0; k < pairs; k++) {
            Rng pairRng = Rng.of(iterationSeed, k);
            draws.add(family.draw(pairRng));
            runSeeds[k] = pairRng.nextLong();
        }
        double[] lastLosses = new double[2 * pairs];
        int[] steps = new int[2 * pairs];
        EvolutionStrategies.Estimate estimate;
        try (NDManager m = parent.newSubManager()) {
            Rng noise = Rng.of(iterationSeed, -1);
            estimate = EvolutionStrategies.estimate(phi, lh.esTensors(), lh.esSigma(), pairs, noise, (w, k, plus) -> {
                OptimizerWeights perturbed = weights(w, Checkpoint.placeholder());
                try (StepKernel kernel = StepKernels.best(perturbed, 1)) {
                    WholeTrajectory run = WholeTrajectory.run(kernel, perturbed, draws.get(k).task(), length,
                            lh.alphaSchedule(), lh.blowUpFactor(), lh.blowUpFactor(), Rng.of(runSeeds[k], 0), m);
                    lastLosses[2 * k + (plus ? 0 : 1)] = run.finalLoss();
                    steps[2 * k + (plus ? 0 : 1)] = run.steps();
                    return run.meanLogLoss();
                }
            }, Runtime.getRuntime().availableProcessors());
        }
        Tally tally = new Tally();
        tally.add(estimate.meanObjective(), Arrays.stream(lastLosses).average().orElse(Double.NaN),
                estimate.gradient());
        int stepsRun = Arrays.stream(steps).sum();
        int shortened = (int) Arrays.stream(steps).filter(n -> n < length).count();
        String note = length + " steps, " + pairs + " pairs: " + String.join("; ",
                draws.stream().map(TaskFamily.Draw::description).toList())
                + (shortened == 0 ? "" : ", " + shortened + " run(s) ended early (loss blew up)");
        return finish(start, tally, 1, note, stepsRun);
    }

    /** Weights of this run's kind and hyperparameters with the given tensor values (copied by {@link Tensor}). */
    private OptimizerWeights weights(Map<String, float[]> values, Provenance provenance) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, int[]> shapes = NetworkLayout.shapes(config.recipe().kind(), hyperparameters);
        values.forEach((k, v) -> tensors.put(k, new Tensor(shapes.get(k), v)));
        return new OptimizerWeights(config.recipe().kind(), hyperparameters, tensors, provenance);
    }

    /** One period of {@code trajectory} on the fast kernel with the current network. */
    private SampledPeriod.Outcome kernelPeriod(KernelTrajectory trajectory, Rng rng, int sample, double blowUpFactor,
            PeriodBackward backward) {
        OptimizerWeights current = weights(Checkpoint.placeholder());
        try (StepKernel kernel = StepKernels.best(current)) {
            return SampledPeriod.run(current, kernel, trajectory, rng, config.unroll(), config.objective(),
                    sample, blowUpFactor, backward, timings);
        }
    }

    /** One imitation period of {@code trajectory}: {@code teacher} moves it, the current network follows. */
    private SampledPeriod.Outcome imitationPeriod(KernelTrajectory trajectory, MetaAdam teacher, Rng rng, int sample,
            AutogradReplay replay) {
        OptimizerWeights current = weights(Checkpoint.placeholder());
        try (StepKernel kernel = StepKernels.best(current)) {
            return SampledPeriod.imitate(current, kernel, trajectory, teacher, rng, config.unroll(), sample, replay,
                    timings);
        }
    }

    /** The hand-written meta-backward, made on first use and kept with its scratch memory. */
    private PeriodBackward hand() {
        if (handReplay == null) {
            handReplay = new HandReplay();
        }
        return handReplay;
    }

    /** What an iteration's periods add up to; applies each period's meta-update as it is added. */
    private final class Tally {
        double metaLossSum;
        double lastLoss = Double.NaN;
        int skipped;
        double largestNorm = Double.NaN;

        /** A period's outcome; its meta-gradient (null: not finite, the update is skipped) goes to meta-Adam. */
        void add(double metaLoss, double periodLastLoss, Map<String, float[]> gradients) {
            metaLossSum += metaLoss;
            lastLoss = periodLastLoss;
            if (gradients == null) {
                skipped++;
                return;
            }
            double norm = norm(gradients);
            largestNorm = Double.isNaN(largestNorm) ? norm : Math.max(largestNorm, norm);
            adam.apply(phi, clipped(gradients, norm, config.metaGradientClip()));
        }
    }

    private IterationResult finish(long start, Tally tally, int periods, String note, int stepsRun) {
        iteration++;
        timings.total += System.nanoTime() - start;
        timings.iterations++;
        return new IterationResult(iteration - 1, tally.metaLossSum / periods, tally.lastLoss, tally.skipped,
                tally.largestNorm, note, stepsRun);
    }

    /** {@code gradients} scaled to norm {@code clip} if their norm is larger (clip 0: unchanged). */
    static Map<String, float[]> clipped(Map<String, float[]> gradients, double norm, double clip) {
        if (clip == 0 || norm <= clip) {
            return gradients;
        }
        float scale = (float) (clip / norm);
        Map<String, float[]> out = new LinkedHashMap<>();
        gradients.forEach((k, g) -> {
            float[] c = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                c[i] = g[i] * scale;
            }
            out.put(k, c);
        });
        return out;
    }

    /** The L2 norm of a meta-gradient over all tensors. */
    static double norm(Map<String, float[]> gradients) {
        double s = 0;
        for (float[] g : gradients.values()) {
            for (float x : g) {
                s += (double) x * x;
            }
        }
        return Math.sqrt(s);
    }

}
