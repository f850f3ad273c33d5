package org.rnnprop.meta;

/**
 * The matrix products of the hand-written meta-backward ({@link HandReplay}) on matrices stored as arrays of
 * rows. Every inner loop runs along whole rows, all indexed from 0 alike, with four source rows per pass: that
 * is the shape the JIT compiles to SIMD code (JDK 17 leaves loops with differing index offsets, or with bodies
 * much larger than this, scalar).
 */
final class RowProducts {
    private RowProducts() {
    }

    /**
     * {@code dst[dstFrom + d][l] += sum_s c[cRow + d][cCol + s] * src[srcFrom + s][l]} for {@code d < dstRows},
     * {@code s < srcRows}, {@code l < len}. No row of {@code dst} may be a row of {@code src}.
     */
    static void mulAdd(float[][] dst, int dstFrom, int dstRows, float[][] c, int cRow, int cCol, float[][] src,
            int srcFrom, int srcRows, int len) {
        for (int d = 0; d < dstRows; d++) {
            float[] o = dst[dstFrom + d];
            float[] cd = c[cRow + d];
            int s = 0;
            for (; s + 4 <= srcRows; s += 4) {
                float w0 = cd[cCol + s];
                float w1 = cd[cCol + s + 1];
                float w2 = cd[cCol + s + 2];
                float w3 = cd[cCol + s + 3];
                float[] a0 = src[srcFrom + s];
                float[] a1 = src[srcFrom + s + 1];
                float[] a2 = src[srcFrom + s + 2];
                float[] a3 = src[srcFrom + s + 3];
                for (int l = 0; l < len; l++) {
                    o[l] += a0[l] * w0 + a1[l] * w1 + a2[l] * w2 + a3[l] * w3;
                }
            }
            for (; s < srcRows; s++) {
                float w0 = cd[cCol + s];
                float[] a0 = src[srcFrom + s];
                for (int l = 0; l < len; l++) {
                    o[l] += a0[l] * w0;
                }
            }
        }
    }

    /** {@code dst[c][r] = src[r][c]}. */
    static void transpose(float[][] src, float[][] dst) {
        for (int r = 0; r < src.length; r++) {
            float[] row = src[r];
            for (int c = 0; c < row.length; c++) {
                dst[c][r] = row[c];
            }
        }
    }

    /** {@code acc[r][l] += x[r][l]} for every row. */
    static void add(float[][] acc, float[][] x) {
        for (int r = 0; r < acc.length; r++) {
            float[] a = acc[r];
            float[] b = x[r];
            for (int l = 0; l < a.length; l++) {
                a[l] += b[l];
            }
        }
    }

    /** Adds the sum of each row of {@code rows} to {@code out[at + r]}, and zeroes the row. */
    static void drainRowSums(float[][] rows, float[] out, int at) {
        for (int r = 0; r < rows.length; r++) {
            float s = 0;
            float[] row = rows[r];
            for (float x : row) {
                s += x;
            }
            out[at + r] += s;
            java.util.Arrays.fill(row, 0f);
        }
    }

    /** Copies the rows one after another into {@code out[at ..]}, and zeroes them. */
    static void drainRows(float[][] rows, float[] out, int at) {
        for (float[] row : rows) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
            java.util.Arrays.fill(row, 0f);
        }
    }

    /** {@code a[r][l] = 0}. */
    static void zero(float[][] a) {
        for (float[] row : a) {
            java.util.Arrays.fill(row, 0f);
        }
    }

    /** A new matrix of {@code rows} rows of {@code len}. */
    static float[][] matrix(int rows, int len) {
        return new float[rows][len];
    }

    /** {@code m} (rows x cols, row-major in one array) as an array of rows (copies). */
    static float[][] rows(float[] m, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /** The transpose of {@code m} (rows x cols, row-major in one array) as an array of rows. */
    static float[][] transposedRows(float[] m, int rows, int cols) {
        float[][] out = new float[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c][r] = m[r * cols + c];
            }
        }
        return out;
    }
}
