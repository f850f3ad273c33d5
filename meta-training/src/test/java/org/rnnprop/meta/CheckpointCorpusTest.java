package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.DamagedFiles;
import org.rnnprop.core.FileFormatException;
import org.rnnprop.tasks.MlpTask;
import picocli.CommandLine;

/**
 * Damaged meta-training checkpoints: each is refused with a message naming the file and the field, and a resume
 * from one changes nothing in its run folder. Version 1 checkpoints (no checksum) stay readable.
 */
class CheckpointCorpusTest {
    private static final String TAIL = ",\"sha256\":\"";

    private static NDManager manager;
    private static MlpTask base;
    private static byte[] good;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeAGoodCheckpoint(@TempDir Path tmp) throws IOException {
        manager = NDManager.newBaseManager();
        base = new MlpTask(MetaGradientTest.tinyData(), manager, 4, 1, MlpTask.Act.SIGMOID, 8);
        MetaTrainer t = new MetaTrainer(TrainingConfig.paper(Recipe.RNNPROP, 7).withSteps(6, 3)
                .withMetaLearningRate(1e-3), base);
        t.runIteration(manager);
        Checkpoint.Stats stats = new Checkpoint.Stats();
        stats.ema = 1.5;
        stats.seconds = 2;
        Path file = tmp.resolve("checkpoint.json");
        Checkpoint.write(t, stats, file);
        good = Files.readAllBytes(file);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The good checkpoint as text with an edit, checksummed again as the writer would: only the edit is wrong. */
    private static byte[] signed(String from, String to) {
        String text = new String(good, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), from);
        String body = text.substring(0, text.lastIndexOf(TAIL)).replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to));
        return (body + TAIL + sha256(body) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The same content as version 1 wrote it: no checksum. */
    private static byte[] version1(byte[] v2) {
        String text = new String(v2, StandardCharsets.UTF_8);
        return (text.substring(0, text.lastIndexOf(TAIL)).replace("\"checkpointVersion\":2", "\"checkpointVersion\":1")
                + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesVersion2ThatResumesExactly() throws IOException {
        String text = new String(good, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"checkpointVersion\":2,") && text.matches("(?s).*,\"sha256\":\"[0-9a-f]{64}\"}"),
                text.substring(0, 40));
        Path file = dir.resolve("checkpoint.json");
        Files.write(file, good);
        Checkpoint.Stats stats = new Checkpoint.Stats();
        MetaTrainer t = Checkpoint.read(file, base, stats);
        assertEquals(1, t.iteration());
        assertEquals(1.5, stats.ema);
        assertEquals(1, Checkpoint.check(file));
    }

    @Test
    void version1CheckpointsStayReadable() throws IOException {
        Path v1 = dir.resolve("v1.json");
        Files.write(v1, version1(good));
        Path v2 = dir.resolve("v2.json");
        Files.write(v2, good);
        MetaTrainer a = Checkpoint.read(v1, base, new Checkpoint.Stats());
        MetaTrainer b = Checkpoint.read(v2, base, new Checkpoint.Stats());
        assertEquals(b.weights(Checkpoint.placeholder()).tensors(), a.weights(Checkpoint.placeholder()).tensors());
        assertEquals(b.adam().step(), a.adam().step());
        assertEquals(b.config(), a.config());
    }

    /** Every checkpoint committed under runs/ (version 1, some without metaGradientClip) reads. */
    @Test
    void theCommittedVersion1CheckpointsRead() throws IOException {
        Path runs = Path.of("..", "runs");
        Assumptions.assumeTrue(Files.isDirectory(runs), "no runs/ folder beside this module");
        List<Path> found;
        try (Stream<Path> s = Files.walk(runs, 3)) {
            found = s.filter(p -> p.getFileName().toString().equals("checkpoint.json")).sorted().toList();
        }
        assertTrue(!found.isEmpty());
        for (Path p : found) {
            MetaTrainer t = Checkpoint.read(p, base, new Checkpoint.Stats());
            assertTrue(t.iteration() > 0 && t.adam().step() > 0, p.toString());
        }
    }

    @TestFactory
    Stream<DynamicTest> damagedCheckpointsAreRefusedByNameAndResumeNothing() throws IOException {
        DamagedFiles d = new DamagedFiles(good);
        int firstValue = d.offsetOf("\"preprocess/kernel\":[") + "\"preprocess/kernel\":[".length() + 2;
        d.truncated(0, "empty").truncated(good.length / 2, "not valid JSON").truncated(good.length - 3, "sha256")
                .truncated(good.length - 80, "not valid JSON")
                .bitFlip("version", d.offsetOf("\"checkpointVersion\":2") + 20, 0, "checkpointVersion")
                .bitFlip("network-value", firstValue, 0, "sha256")
                .bitFlip("iteration", d.offsetOf("\"iteration\":1") + 12, 1, "sha256")
                .bitFlip("checksum", good.length - 10, 0, "sha256")
                .add("version-1-with-checksum", new String(good, StandardCharsets.UTF_8).replace(
                        "\"checkpointVersion\":2", "\"checkpointVersion\":1").getBytes(StandardCharsets.UTF_8),
                        "checkpointVersion")
                .add("version-3", signed("\"checkpointVersion\":2", "\"checkpointVersion\":3"), "checkpointVersion")
                .add("edited-without-checksum", new String(good, StandardCharsets.UTF_8)
                        .replace("\"iteration\":1", "\"iteration\":9").getBytes(StandardCharsets.UTF_8), "sha256")
                .add("checksum-not-last", signed("{\"checkpointVersion\":2,", "{\"checkpointVersion\":2,\"sha256\":\"x\",")
                        , "sha256")
                .add("negative-iteration", signed("\"iteration\":1", "\"iteration\":-1"), "iteration")
                .add("negative-iteration-v1", version1(signed("\"iteration\":1", "\"iteration\":-1")), "iteration")
                .add("iteration-a-string", signed("\"iteration\":1", "\"iteration\":\"1\""), "iteration")
                .add("iteration-a-fraction", signed("\"iteration\":1", "\"iteration\":1.5"), "iteration")
                .add("seed-not-a-number", signed("\"seed\":7", "\"seed\":\"seven\""), "config.seed")
                .add("seed-not-a-number-v1", version1(signed("\"seed\":7", "\"seed\":\"seven\"")), "config.seed")
                .add("steps-a-string", signed("\"steps\":6", "\"steps\":\"6\""), "config.steps")
                .add("steps-beyond-int", signed("\"steps\":6", "\"steps\":6000000000"), "config.steps")
                .add("learning-rate-a-string", signed("\"metaLearningRate\":0.001", "\"metaLearningRate\":\"x\""),
                        "config.metaLearningRate")
                .add("clip-a-string", signed("\"metaGradientClip\":0.0", "\"metaGradientClip\":\"none\""),
                        "config.metaGradientClip")
                .add("recipe-unknown", signed("\"recipe\":\"rnnprop\"", "\"recipe\":\"adam\""), "config")
                .add("recipe-missing", signed("\"recipe\":\"rnnprop\",", ""), "config.recipe")
                .add("unroll-invalid", signed("\"unroll\":3", "\"unroll\":4"), "config")
                .add("tensor-one-value-short", signed(firstValue("preprocess/bias"), "\"preprocess/bias\":["),
                        "network.preprocess/bias")
                .add("tensor-missing", signed("\"output/bias\":[", "\"other/bias\":["), "network.other/bias")
                .add("tensor-value-NaN-string", signed(firstValue("preprocess/kernel"), "\"preprocess/kernel\":[\"NaN\","),
                        "network.preprocess/kernel[0]: must be a number")
                .add("tensor-value-NaN-token", signed(firstValue("preprocess/kernel"), "\"preprocess/kernel\":[NaN,"),
                        "network.preprocess/kernel")
                .add("tensor-value-overflows-float", signed(firstValue("preprocess/kernel"),
                        "\"preprocess/kernel\":[1e39,"), "network.preprocess/kernel[0]: overflows float32")
                .add("adam-moment-infinite", signed(firstValue("adamV\":{\"preprocess/kernel"),
                        "\"adamV\":{\"preprocess/kernel\":[1e999,"), "adamV.preprocess/kernel[0]: out of range")
                .add("adam-moment-missing", signed("\"adamM\":{\"preprocess/kernel\"", "\"adamM\":{\"x\""), "adamM.x")
                .add("adam-step-negative", signed("\"adamStep\":2", "\"adamStep\":-2"), "adamStep")
                .add("ema-a-word", signed("\"ema\":1.5", "\"ema\":\"fine\""), "ema")
                .add("seconds-negative", signed("\"seconds\":2.0", "\"seconds\":-2.0"), "seconds")
                .add("duplicate-key", signed("\"iteration\":1", "\"iteration\":1,\"iteration\":0"), "iteration")
                .inserted("not-utf8", d.offsetOf("\"recipe\":\"") + 10, new byte[] {(byte) 0xFF}, "config.recipe")
                .add("a-weight-file", "{\"format\":\"rnnprop-weights\"}".getBytes(StandardCharsets.UTF_8),
                        "checkpointVersion")
                .directory("is a directory");
        List<DynamicTest> tests = new ArrayList<>();
        for (DamagedFiles.Case c : d.cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Path runDir = dir.resolve(c.name());
                RunDirectory run = new RunDirectory(runDir);
                Files.createDirectories(runDir);
                if (c.content() == null) {
                    Files.createDirectories(run.checkpoint());
                } else {
                    Files.write(run.checkpoint(), c.content());
                }
                Path file = run.checkpoint();
                FileFormatException e = assertThrows(FileFormatException.class,
                        () -> Checkpoint.read(file, base, new Checkpoint.Stats()));
                DamagedFiles.assertNamed(e, file, c);

                // a resume from it fails before it loads anything or touches the run's logs or list of commands
                String log = RunDirectory.LOG_HEADER + "\n0,1,1,1,0,1,1\n1,1,1,1,0,2,1\n";
                Files.writeString(run.log(), log);
                Files.writeString(runDir.resolve("commands.txt"), "meta-train train\n");
                Cli cli = Cli.train("--run-dir", runDir.toString(), "--resume", "--recipe", "rnnprop", "--iterations",
                        "5", "--no-progress", "--data", dir.resolve("no-mnist").toString());
                assertNotEquals(0, cli.status, c + ": " + cli.err);
                assertTrue(cli.err.contains(file.toString()), c + ": " + cli.err);
                assertEquals(log, Files.readString(run.log()), c + ": log.csv must stay");
                assertEquals("meta-train train\n", Files.readString(runDir.resolve("commands.txt")));
            }));
        }
        return tests.stream();
    }

    /** {@code "name":[v0,} for the first array of that name (the network's, which comes first). */
    private static String firstValue(String name) {
        String text = new String(good, StandardCharsets.UTF_8);
        String key = "\"" + name + "\":[";
        int start = text.indexOf(key) + key.length();
        return key + text.substring(start, text.indexOf(',', start) + 1);
    }

    @Test
    void aFileLargerThanAnyCheckpointIsRefusedUnread() throws IOException {
        Path file = DamagedFiles.sparse(dir.resolve("checkpoint.json"), Checkpoint.MAX_BYTES + 1);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoint.check(file));
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains("more than a checkpoint has"),
                e.getMessage());
    }

    @Test
    void resumingAtOrPastTheTargetSaysSoAndTrainsNothing() throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Files.write(run.checkpoint(), good); // at iteration 1
        Cli at = Cli.train("--run-dir", dir.toString(), "--resume", "--iterations", "1", "--no-progress");
        assertEquals(0, at.status, at.err);
        assertTrue(at.err.contains("is at iteration 1, the --iterations target: nothing left to train"), at.err);
        Files.writeString(run.dir().resolve("commands.txt"), "first\n");
        MetaTrainer t = Checkpoint.read(run.checkpoint(), base, new Checkpoint.Stats());
        t.runIteration(manager);
        t.runIteration(manager);
        Checkpoint.write(t, new Checkpoint.Stats(), run.checkpoint()); // at iteration 3
        Cli beyond = Cli.train("--run-dir", dir.toString(), "--resume", "--iterations", "2", "--no-progress");
        assertEquals(2, beyond.status, beyond.err);
        assertTrue(beyond.err.contains("is at iteration 3, past --iterations 2: nothing trained"), beyond.err);
        assertEquals("first\n", Files.readString(run.dir().resolve("commands.txt")), "no command recorded");
    }

    /** One run of the command line, with what it printed to stderr. */
    private record Cli(int status, String err) {
        static Cli train(String... args) {
            String[] all = new String[args.length + 1];
            all[0] = "train";
            System.arraycopy(args, 0, all, 1, args.length);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            try {
                CommandLine cl = new CommandLine(new MetaTrainCli());
                cl.setErr(new java.io.PrintWriter(System.err, true));
                int status = cl.execute(all);
                return new Cli(status, bytes.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(saved);
            }
        }
    }
}
