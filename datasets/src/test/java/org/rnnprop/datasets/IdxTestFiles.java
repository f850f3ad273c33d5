package org.rnnprop.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small IDX files for tests. */
final class IdxTestFiles {
    private IdxTestFiles() {
    }

    static byte[] idx(int dtype, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeByte(0);
        out.writeByte(0);
        out.writeByte(dtype);
        out.writeByte(dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
        return bos.toByteArray();
    }

    static Path write(Path file, int[] dims, byte[] data) throws IOException {
        return Files.write(file, idx(IdxReader.DTYPE_UBYTE, dims, data));
    }

    /** Writes an MNIST split of n images whose pixel (i, j) of image k is (k + i + j) mod 256. */
    static void writeMnist(Path dir, Mnist.Split split, int n) throws IOException {
        byte[] px = new byte[n * 784];
        byte[] lb = new byte[n];
        for (int k = 0; k < n; k++) {
            lb[k] = (byte) (k % 10);
            for (int p = 0; p < 784; p++) {
                px[k * 784 + p] = (byte) ((k + p / 28 + p % 28) % 256);
            }
        }
        write(dir.resolve(split.dataFile()), new int[] {n, 28, 28}, px);
        write(dir.resolve(split.labelFile()), new int[] {n}, lb);
    }
}
