package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.WeightFile;
import org.rnnprop.pretrained.Pretrained;

/** Resolving the learned roles' weights, scaling their alpha, candidate weights and the cosine row. */
class LearnedWeightsTest {

    @Test
    void alphaScaleMultipliesTheStepBoundOfThatRoleOnlyAndGivesItAnotherCacheKey() throws IOException {
        LearnedWeights plain = LearnedWeights.resolve(Map.of());
        LearnedWeights scaled = LearnedWeights.resolve(Map.of(), Map.of("rnnprop", 0.5));
        LearnedWeights.Choice before = plain.chosen().get(LearnedRole.RNNPROP);
        LearnedWeights.Choice after = scaled.chosen().get(LearnedRole.RNNPROP);

        assertEquals(before.weights().hyperparameters().alpha() * 0.5, after.weights().hyperparameters().alpha());
        assertEquals(before.weights().checksum(), after.weights().checksum(), "same network");
        assertTrue(after.source().endsWith(" with alpha x0.5 (0.05)"), after.source());
        assertNotEquals(Contender.learnedKey(LearnedRole.RNNPROP, before.weights()),
                Contender.learnedKey(LearnedRole.RNNPROP, after.weights()));
        LearnedWeights.Choice dm = scaled.chosen().get(LearnedRole.DM_OPTIMIZER);
        assertEquals(plain.chosen().get(LearnedRole.DM_OPTIMIZER).weights().hyperparameters(),
                dm.weights().hyperparameters(), "other roles keep their alpha");
    }

    @Test
    void aFactorThatIsNotFiniteAndPositiveOrAnUnknownRoleIsRefusedByName() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LearnedWeights.resolve(Map.of(), Map.of("rnnprop", bad)));
            assertTrue(e.getMessage().contains("--alpha-scale rnnprop"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LearnedWeights.resolve(Map.of(), Map.of("rnnprp", 0.5)));
    }

    @Test
    void candidatesAreLoadedByNameOrFileUnderTheirOwnNameWithKeysOfTheirWeights(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("new.json");
        WeightFile.write(Pretrained.load("rnnprop").withAlpha(0.05), file);
        LearnedWeights w = LearnedWeights.resolve(Map.of()).withCandidates(new LinkedHashMap<>(Map.of("v3",
                file.toString())));
        assertEquals(List.of("v3"), List.copyOf(w.candidates().keySet()));
        assertEquals(0.05, w.candidateWeights().get("v3").hyperparameters().alpha());
        assertEquals(file.toString(), w.candidates().get("v3").source());
        Contender a = Contender.candidate("v3", w.candidateWeights().get("v3"));
        Contender b = Contender.candidate("renamed", WeightFile.read(file));
        assertEquals(a.key(), b.key(), "the key names the weights, not the label");
        assertTrue(a.candidate() && !a.cosine() && !a.tuned() && a.key().startsWith("candidate#"), a.key());
        assertEquals("renamed", b.label());
        assertNotEquals(a.key(), Contender.candidate("x", Pretrained.load("rnnprop")).key());
        assertEquals("rnnprop", LearnedWeights.resolve(Map.of()).withCandidates(Map.of("old", "rnnprop"))
                .candidates().get("old").source());
    }

    @Test
    void aCandidateNamedLikeARoleOrFromNowhereIsRefused() {
        for (String name : List.of("RNNprop", "RNNprop cosine", " ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LearnedWeights.resolve(Map.of()).withCandidates(Map.of(name, "rnnprop")));
            assertTrue(e.getMessage().contains("--candidate"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnedWeights.resolve(Map.of()).withCandidates(Map.of("v3", "no-such-file.json")));
        assertTrue(e.getMessage().contains("no-such-file.json"), e.getMessage());
    }

    @Test
    void theCosineRowIsTheRoleWithItsOwnKey() throws IOException {
        OptimizerWeights w = LearnedWeights.resolve(Map.of()).weights().get(LearnedRole.RNNPROP);
        Contender plain = Contender.learned(LearnedRole.RNNPROP, w);
        Contender cosine = Contender.learnedCosine(LearnedRole.RNNPROP, w, 1000);
        assertEquals(plain.key() + Contender.COSINE_SUFFIX, cosine.key());
        assertTrue(cosine.cosine() && !plain.cosine() && !cosine.candidate());
        assertEquals(Contender.COSINE_LABEL, cosine.label());
    }

    @Test
    void eachRoleLoadsItsOwnRecipesFileByNameNotThePluginsDefaultAlias() throws IOException {
        LearnedWeights w = LearnedWeights.resolve(Map.of());
        for (LearnedRole role : LearnedRole.values()) {
            LearnedWeights.Choice c = w.chosen().get(role);
            assertEquals(role.shippedFile(), c.source(), role.id());
            assertEquals(role.id(), c.weights().provenance().recipe(), role.shippedFile() + " is the recipe's");
        }
    }

    @Test
    void theShippedDefaultJoinsTheCandidatesOnlyWhereItIsNotAlreadyCompared() throws IOException {
        LearnedWeights roles = LearnedWeights.resolve(Map.of());
        OptimizerWeights paper = roles.weights().get(LearnedRole.RNNPROP);
        // the RNNprop role's own file: nothing to add
        assertEquals(Map.of(), roles.withShippedDefault(LearnedRole.RNNPROP.shippedFile()).candidates());

        // other weights as the default: a candidate named after their file, with the alias in its source
        LearnedWeights other = roles.withShippedDefault("rnnprop-long-es");
        assertEquals(List.of("rnnprop-long-es" + LearnedWeights.DEFAULT_SUFFIX),
                List.copyOf(other.candidates().keySet()));
        LearnedWeights.Choice d = other.candidates().get("rnnprop-long-es" + LearnedWeights.DEFAULT_SUFFIX);
        assertEquals("rnnprop-long-es", d.source());
        assertNotEquals(paper.checksum(), d.weights().checksum());

        // already a candidate, or the role overridden with it: not twice
        assertEquals(List.of("es"), List.copyOf(roles.withCandidates(Map.of("es", "rnnprop-long-es"))
                .withShippedDefault("rnnprop-long-es").candidates().keySet()));
        assertEquals(Map.of(), LearnedWeights.resolve(Map.of("rnnprop", "rnnprop-long-es"))
                .withShippedDefault("rnnprop-long-es").candidates());

        // the role's weights with another alpha are another optimizer: the default is added
        assertEquals(1, LearnedWeights.resolve(Map.of(), Map.of("rnnprop", 0.5))
                .withShippedDefault(LearnedRole.RNNPROP.shippedFile()).candidates().size());
    }
}
