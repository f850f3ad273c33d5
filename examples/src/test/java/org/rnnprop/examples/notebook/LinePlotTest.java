package org.rnnprop.examples.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesOnePngWithThePanelsSideBySide(@TempDir Path dir) throws Exception {
        LinePlot a = new LinePlot("a", "x", "y").line("one", new float[] {3, 2, 1});
        LinePlot b = new LinePlot("b", "x", "y").points("two", new double[] {1, 10}, new double[] {1, 2},
                new double[] {0.1, 0.2}).logX();
        Path file = dir.resolve("sub/plot.png");
        LinePlot.save(file, a, b);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
        assertEquals(2 * image.getHeight() * 640 / 480, image.getWidth(), "two 640x480 panels side by side");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void refusesEmptyOrMismatchedSeries() {
        LinePlot p = new LinePlot("t", "x", "y");
        assertThrows(IllegalArgumentException.class, () -> p.line("s", new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> p.line("s", new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> LinePlot.save(Path.of("unused.png"), p));
        assertThrows(IllegalArgumentException.class, () -> LinePlot.save(Path.of("unused.png")));
    }

    @Test
    void smoothingIsAMovingAverageThatStartsShort() {
        assertArrayEquals(new float[] {2, 3, 5, 7}, LinePlot.smooth(new float[] {2, 4, 6, 8}, 2));
        assertArrayEquals(new float[] {1, 2, 3}, LinePlot.smooth(new float[] {1, 2, 3}, 1));
        assertThrows(IllegalArgumentException.class, () -> LinePlot.smooth(new float[] {1}, 0));
    }
}
