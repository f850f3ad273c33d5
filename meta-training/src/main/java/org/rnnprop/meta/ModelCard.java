package org.rnnprop.meta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;

/**
 * The Markdown model card of an exported weight file: how it was made (recipe, iterations, wall time, the
 * commands), how it was selected, its validation and the command that reproduces it, and the training curve.
 */
final class ModelCard {
    /** Iterations per window of the card's trend report, as {@code inspect} prints by default. */
    private static final long TREND_WINDOW = 500;

    private ModelCard() {
    }

    /** Writes {@code NAME.md} and {@code NAME-training-curve.png} beside the weight file {@code out}. */
    static void write(Path out, OptimizerWeights w, RunDirectory run, String exportCommand) throws IOException {
        String file = out.getFileName().toString();
        String name = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        Provenance p = w.provenance();
        Map<String, String> d = p.details();
        StringBuilder s = new StringBuilder();
        s.append("# ").append(name).append("\n\n");
        s.append("A ").append(w.kind().id()).append(" optimizer meta-trained by this project's meta-training module")
                .append(" (`scripts/meta-train.sh`), recipe `").append(p.recipe()).append("`.\n\n");
        s.append("| | |\n|---|---|\n");
        row(s, "recipe", p.recipe() + " (Random Scaling: " + d.get("randomScaling") + ", convex term: "
                + d.get("convexTerm") + ", objective: " + d.get("objective") + ")");
        if (d.containsKey("alphaSchedule")) {
            row(s, "use with", "alpha scaled by a " + d.get("alphaSchedule") + " over the run's planned steps, as it "
                    + "was meta-trained: `optAlphaScale(Tracker.cosine().setBaseValue(1f).setMaxUpdates(steps)"
                    + ".build())` (DJL), `withAlphaScaleSchedule(new CosineSchedule(ScheduleType.ITERATION, 1.0, "
                    + "0.01, steps))` (DL4J)");
        }
        row(s, "meta-learning rate", d.get("metaLearningRate") + " at export (the paper: 1e-4); a change on resume "
                + "shows in the commands below");
        row(s, "meta-gradient clipping", d.getOrDefault("metaGradientClip", "none") + " (the paper: none)");
        row(s, "iterations", p.iterations() + " of " + d.get("stepsPerIteration") + " steps");
        row(s, "budget", p.budget() + " iterations of the run were searched by the selection");
        row(s, "wall time", d.get("wallSeconds") + " s of training (2 cores, shared with other runs)");
        row(s, "selection", d.getOrDefault("selection", "-"));
        row(s, "moving-average meta-loss", d.get("emaMetaLoss"));
        row(s, "seed", String.valueOf(p.seed()));
        row(s, "data", p.data());
        row(s, "code version", p.codeVersion());
        row(s, "made", p.date());
        row(s, "SHA-256 of the tensors", "`" + w.checksum() + "`");
        s.append("\n## Validation\n\n").append(d.getOrDefault("validation", "not validated")).append("\n\n");
        s.append("The final-loss metric of the specification (final parameters, mean loss over every minibatch of ")
                .append("the run), lower is better; a negative difference means this optimizer beat Adam. ")
                .append("Reproduce:\n\n```bash\nscripts/meta-train.sh validate --weights ")
                .append("pretrained/src/main/resources/org/rnnprop/pretrained/").append(file)
                .append(" --runs 20\n```\n");
        Path curve = out.resolveSibling(name + "-training-curve.png");
        if (Files.exists(run.plot())) {
            Files.copy(run.plot(), curve, StandardCopyOption.REPLACE_EXISTING);
            s.append("\n## Training curve\n\n![training curve](").append(curve.getFileName()).append(")\n");
        }
        s.append("\n## The run at export\n\nWhether more iterations of this run would still change the network, ")
                .append("and whether its training loss was still falling (`scripts/meta-train.sh inspect --run-dir ")
                .append(run.dir())
                .append("`; see docs/META-TRAINING.md):\n\n```\n").append(RunHealth.report(run)).append('\n')
                .append(TrainingTrend.report(run, TREND_WINDOW)).append("```\n");
        s.append("\n## How it was made\n\nThe run (every command that worked on it, with its code version):\n\n```\n");
        List<String> commands = Files.readAllLines(run.dir().resolve("commands.txt"));
        commands.forEach(c -> s.append(c).append('\n'));
        s.append("```\n\nExported with:\n\n```\n").append(exportCommand).append("\n```\n");
        Files.writeString(out.resolveSibling(name + ".md"), s.toString());
    }

    private static void row(StringBuilder s, String k, String v) {
        s.append("| ").append(k).append(" | ").append(v == null ? "-" : v).append(" |\n");
    }
}
