package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Weight files: version 2 written and read, version 1 still read, and every damaged file refused by name. */
class WeightFileTest {
    private static final String V1_RESOURCE = "/org/rnnprop/core/golden/rnnprop-weights.json";

    @TempDir
    Path dir;

    private static byte[] version2() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightFile.write(SpecInitialization.create(OptimizerKind.RNNPROP, 3), out);
        return out.toByteArray();
    }

    private static byte[] version1() throws IOException {
        try (InputStream in = WeightFileTest.class.getResourceAsStream(V1_RESOURCE)) {
            return in.readAllBytes();
        }
    }

    @Test
    void writesVersion2AndReadsItBack() throws IOException {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.DM_OPTIMIZER, 5);
        Path file = dir.resolve("w.json");
        WeightFile.write(w, file);
        assertTrue(Files.readString(file).contains("\"formatVersion\" : 2"));
        OptimizerWeights back = WeightFile.read(file);
        assertEquals(w, back);
        assertEquals(w.checksum(), back.checksum(), "the network's identity does not depend on the format");
    }

    @Test
    void version1FilesStayReadableWithTheirChecksum() throws IOException {
        Path file = dir.resolve("v1.json");
        Files.write(file, version1());
        assertTrue(Files.readString(file).contains("\"formatVersion\" : 1"));
        OptimizerWeights w = WeightFile.read(file);
        assertTrue(Files.readString(file).contains("\"sha256\" : \"" + w.checksum() + "\""),
                "a version 1 file's sha256 is the checksum of its tensors");
        assertEquals(w.checksum(), WeightFile.checksum(w, 1));
    }

    @Test
    void version2ChecksumCoversKindAndEveryHyperparameter() throws IOException {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 3);
        String base = WeightFile.checksum(w, 2);
        assertTrue(!base.equals(WeightFile.checksum(w.withAlpha(50), 2)));
        Hyperparameters hp = w.hyperparameters();
        List<Hyperparameters> changed = List.of(
                new Hyperparameters(0.9, hp.beta2(), hp.epsilon(), hp.alpha(), 20, 20, hp.forgetBias(), hp.logScale()),
                new Hyperparameters(hp.beta1(), 0.9, hp.epsilon(), hp.alpha(), 20, 20, hp.forgetBias(), hp.logScale()),
                new Hyperparameters(hp.beta1(), hp.beta2(), 1e-7, hp.alpha(), 20, 20, hp.forgetBias(), hp.logScale()),
                new Hyperparameters(hp.beta1(), hp.beta2(), hp.epsilon(), hp.alpha(), 20, 20, 0.0, hp.logScale()),
                new Hyperparameters(hp.beta1(), hp.beta2(), hp.epsilon(), hp.alpha(), 20, 20, hp.forgetBias(), 5));
        for (Hyperparameters h : changed) {
            OptimizerWeights other = new OptimizerWeights(w.kind(), h, w.tensors(), w.provenance());
            assertTrue(!base.equals(WeightFile.checksum(other, 2)), h.toString());
            assertEquals(w.checksum(), other.checksum(), "the tensors' checksum stays");
        }
    }

    /** The corpus: every case is refused with a message that names the file and the field. */
    @TestFactory
    Stream<DynamicTest> damagedVersion2FilesAreRefusedByName() throws IOException {
        byte[] good = version2();
        DamagedFiles d = new DamagedFiles(good);
        int alpha = d.offsetOf("\"alpha\" : 0.1") + "\"alpha\" : 0.".length();
        d.truncated(0, "empty")
                .truncated(1, "not valid JSON")
                .truncated(d.offsetOf("\"hyperparameters\""), "update")
                .truncated(d.offsetOf("\"lstm1/kernel\""), "preprocess/bias")
                .truncated(good.length / 2, "tensors.")
                .truncated(good.length - 2, "sha256")
                .bitFlip("format", d.offsetOf("rnnprop-weights") + 2, 0, "format")
                .bitFlip("formatVersion", d.offsetOf("\"formatVersion\" : 2") + 18, 0, "formatVersion")
                .bitFlip("kind", d.offsetOf("\"kind\" : \"rnnprop\"") + 11, 1, "kind")
                .bitFlip("update", d.offsetOf("theta_new") + 1, 2, "update")
                .bitFlip("alpha", alpha, 1, "sha256")
                .bitFlip("tensor-value", d.offsetOf("\"data\" : [ ") + 14, 0, "sha256")
                .bitFlip("shape", d.offsetOf("\"shape\" : [ 2, 20 ]") + 14, 2, "tensors.preprocess/kernel.shape")
                .bitFlip("sha256", d.offsetOf("\"sha256\" : \"") + 12, 0, "sha256")
                .edited("alpha-0.1-to-50", "\"alpha\" : 0.1", "\"alpha\" : 50.0", "sha256")
                .edited("forgetBias-changed", "\"forgetBias\" : 1.0", "\"forgetBias\" : 0.0", "sha256")
                .edited("kind-changed", "\"kind\" : \"rnnprop\"", "\"kind\" : \"dm-optimizer\"",
                        "tensors.preprocess/kernel")
                .edited("duplicate-key", "\"alpha\" : 0.1", "\"alpha\" : 0.1, \"alpha\" : 7.0",
                        "hyperparameters.alpha")
                .edited("duplicate-top-key", "\"kind\" : \"rnnprop\"", "\"kind\" : \"rnnprop\", \"kind\" : \"x\"", "kind")
                .edited("version-0", "\"formatVersion\" : 2", "\"formatVersion\" : 0", "formatVersion")
                .edited("version-3", "\"formatVersion\" : 2", "\"formatVersion\" : 3", "formatVersion")
                .edited("version-string", "\"formatVersion\" : 2", "\"formatVersion\" : \"2\"", "formatVersion")
                .edited("version-1-on-a-version-2-file", "\"formatVersion\" : 2", "\"formatVersion\" : 1", "sha256")
                .edited("alpha-a-string", "\"alpha\" : 0.1", "\"alpha\" : \"0.1\"", "hyperparameters.alpha")
                .edited("alpha-infinite", "\"alpha\" : 0.1", "\"alpha\" : 1e999", "hyperparameters.alpha")
                .edited("alpha-negative", "\"alpha\" : 0.1", "\"alpha\" : -0.1", "hyperparameters.alpha")
                .edited("hidden-size-huge", "\"hiddenSize\" : 20", "\"hiddenSize\" : 2000000000",
                        "hyperparameters.hiddenSize")
                .edited("hidden-size-fraction", "\"hiddenSize\" : 20", "\"hiddenSize\" : 20.5",
                        "hyperparameters.hiddenSize")
                .edited("shape-huge", "\"shape\" : [ 2, 20 ]", "\"shape\" : [ 2000000, 2000000 ]",
                        "tensors.preprocess/kernel.shape")
                .edited("value-NaN", "\"data\" : [ ", "\"data\" : [ NaN, ", "tensors.preprocess/kernel.data")
                .edited("value-overflows-float", "\"data\" : [ ", "\"data\" : [ 1e39, ",
                        "tensors.preprocess/kernel.data")
                .edited("value-a-string", "\"data\" : [ ", "\"data\" : [ \"x\", ", "tensors.preprocess/kernel.data")
                .edited("missing-field", "\"update\" : \"theta_new = theta - update\",", "", "update")
                .edited("unknown-field", "\"update\" :", "\"extra\" : 1, \"update\" :", "extra")
                .edited("unknown-tensor", "\"preprocess/kernel\" :", "\"other\" : {}, \"preprocess/kernel\" :",
                        "tensors.other")
                .add("trailing-content", (new String(good, StandardCharsets.UTF_8) + " {}")
                        .getBytes(StandardCharsets.UTF_8), "not valid JSON")
                .add("not-json", "RNNPSTAT\0\0\0\1".getBytes(StandardCharsets.ISO_8859_1), "not valid JSON")
                .add("a-json-array", "[1, 2]".getBytes(StandardCharsets.UTF_8), "not a JSON object")
                .inserted("not-utf8-in-a-string", d.offsetOf("theta_new"), new byte[] {(byte) 0xC3, (byte) 0x28},
                        "update")
                .inserted("not-utf8-between-values", d.offsetOf("\"update\""), new byte[] {(byte) 0xFF}, "kind")
                .directory("is a directory");
        return refusals(d);
    }

    @TestFactory
    Stream<DynamicTest> damagedVersion1FilesAreRefusedByName() throws IOException {
        byte[] good = version1();
        DamagedFiles d = new DamagedFiles(good);
        d.bitFlip("tensor-value", d.offsetOf("\"data\" : [ ") + 14, 0, "sha256")
                .edited("duplicate-key", "\"alpha\" : 0.1", "\"alpha\" : 0.1, \"alpha\" : 7.0", "hyperparameters.alpha")
                .truncated(good.length / 3, "tensors.")
                .edited("hidden-size-changed", "\"hiddenSize\" : 20", "\"hiddenSize\" : 19",
                        "tensors.lstm1/kernel.shape");
        return refusals(d);
    }

    private Stream<DynamicTest> refusals(DamagedFiles d) {
        return d.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path file = c.write(dir);
            WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFile.read(file));
            DamagedFiles.assertNamed(e, file, c);
        }));
    }

    @Test
    void aFileLargerThanAnyWeightFileIsRefusedUnread() throws IOException {
        Path file = DamagedFiles.sparse(dir.resolve("huge.json"), WeightFile.MAX_BYTES + 1);
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFile.read(file));
        assertEquals(file + ": " + (WeightFile.MAX_BYTES + 1) + " bytes, more than a weight file has ("
                + WeightFile.MAX_BYTES + ")", e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("absent.json");
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFile.read(file));
        assertEquals(file + ": file not found", e.getMessage());
    }
}
