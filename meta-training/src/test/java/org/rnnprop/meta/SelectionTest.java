package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.WeightFile;

class SelectionTest {
    /** Moving averages at the end of iterations 100, 200 and 300: the lowest is the last. */
    private static final Map<Long, Double> EMA = new TreeMap<>(Map.of(100L, 0.5, 200L, 0.3, 300L, 0.2));

    @Test
    void emaRuleChoosesTheLowestMovingAverageWithinTheBudget(@TempDir Path dir) throws IOException {
        RunDirectory run = runWithSnapshots(dir);

        assertEquals(snapshot(run, 300).checksum(), emaPick(run, Long.MAX_VALUE).checksum());
        OptimizerWeights withinBudget = emaPick(run, 250);
        assertEquals(snapshot(run, 200).checksum(), withinBudget.checksum());
        String selection = withinBudget.provenance().details().get("selection");
        assertTrue(selection.startsWith("lowest moving-average meta-loss") && selection.contains(
                "2 snapshots up to iteration 250"), selection);
    }

    @Test
    void aBudgetBeforeTheFirstSnapshotIsRefusedByName(@TempDir Path dir) throws IOException {
        RunDirectory run = runWithSnapshots(dir);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> emaPick(run, 50));
        assertTrue(e.getMessage().contains("no snapshots at or before iteration 50"), e.getMessage());
        assertEquals(List.of(run.snapshot(100), run.snapshot(200)), Selection.snapshotsUpTo(run, 200));
    }

    @Test
    void curriculumRuleTakesTheBestNetworkOfTheLatestStageThatHasOne(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Files.createDirectories(run.snapshots());
        TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP_LONG, 1);
        MetaTrainer trainer = new MetaTrainer(config, null);
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> Selection.select("curriculum", run, trainer, null, null, 0, null, null, Long.MAX_VALUE));
        assertTrue(none.getMessage().contains("no stage-K-best.json"), none.getMessage());
        OptimizerWeights stage0 = SpecInitialization.create(OptimizerKind.RNNPROP, 5);
        WeightFile.write(stage0, run.stageBest(0));
        trainer.curriculum().record(1, 0, trainer.network());
        for (int i = 0; i < 3; i++) {
            trainer.curriculum().record(2, 1 + i, trainer.network()); // patience 3: on to stage 1, no best yet
        }
        OptimizerWeights picked = Selection.select("curriculum", run, trainer, null, null, 0, null, null,
                Long.MAX_VALUE);
        assertEquals(stage0.checksum(), picked.checksum());
        assertTrue(picked.provenance().details().get("selection").contains("stage 0"));
        MetaTrainer paper = new MetaTrainer(TrainingConfig.paper(Recipe.RNNPROP, 1), null);
        assertThrows(IllegalArgumentException.class,
                () -> Selection.select("curriculum", run, paper, null, null, 0, null, null, Long.MAX_VALUE));
    }

    @Test
    void aStageBestWithoutProvenanceGetsTheRunsWithTheIterationOfItsCheck(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Files.createDirectories(run.snapshots());
        run.recordCommand("meta-train train --recipe rnnprop-long --run-dir " + dir);
        Files.writeString(run.curriculumLog(), RunDirectory.CURRICULUM_HEADER + "\n"
                + "-1,0,2000,-2.0,-2.0,0,improved\n9,0,2000,-2.1,-2.1,0,improved\n19,0,2000,-2.0,-2.1,1,waiting\n");
        MetaTrainer trainer = new MetaTrainer(TrainingConfig.paper(Recipe.RNNPROP_LONG, 4), null);
        WeightFile.write(trainer.weights(Checkpoint.placeholder()), run.stageBest(0));
        OptimizerWeights picked = Selection.select("curriculum", run, trainer, new Checkpoint.Stats(), null, 0, null,
                "MNIST", Long.MAX_VALUE);
        assertEquals("rnnprop-long", picked.provenance().recipe());
        assertEquals(10, picked.provenance().iterations(), "the check after iteration index 9");
        assertEquals(4, picked.provenance().seed());
        assertEquals("MNIST", picked.provenance().data());
        assertTrue(picked.provenance().command().contains("--recipe rnnprop-long"), picked.provenance().command());
        assertEquals(9, Selection.lastImprovement(run, 0));
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> Selection.lastImprovement(run, 1));
        assertTrue(none.getMessage().contains("stage 1"), none.getMessage());
    }

    private static OptimizerWeights emaPick(RunDirectory run, long upTo) throws IOException {
        return Selection.select("ema", run, null, null, null, 0, null, null, upTo);
    }

    private static OptimizerWeights snapshot(RunDirectory run, long iteration) throws IOException {
        return WeightFile.read(run.snapshot(iteration));
    }

    private static RunDirectory runWithSnapshots(Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Files.createDirectories(run.snapshots());
        StringBuilder log = new StringBuilder("iteration,meta_loss,final_loss,ema,skipped_updates,seconds\n");
        for (long i = 0; i < 300; i++) {
            double ema = EMA.getOrDefault(i + 1, 1.0);
            log.append(i).append(",1,1,").append(ema).append(",0,1\n");
        }
        Files.writeString(run.log(), log);
        for (long it : EMA.keySet()) {
            WeightFile.write(SpecInitialization.create(OptimizerKind.RNNPROP, it), run.snapshot(it));
        }
        return run;
    }
}
