package org.rnnprop.meta;

/**
 * The matrix products of the hand-written meta-backward ({@link HandReplay}) on row-stacked arrays: a matrix of
 * {@code rows} rows of {@code len} floats is stored row after row, so every inner loop runs along one row, over
 * a block's coordinates or a kernel's gates, with all arrays indexed alike, which the JIT compiles to SIMD code.
 * The other factor is read one element at a time through strides, so one routine serves the forward product,
 * the backward product through the transposed kernel and the kernel's gradient.
 */
final class RowProducts {
    private RowProducts() {
    }

    /**
     * {@code dst[d][l] += sum_s w[wOff + d * wd + s * ws] * src[s][l]} for {@code d < dstRows}, {@code s < srcRows},
     * {@code l < len}, where row {@code d} of {@code dst} starts at {@code dstOff + d * len} and row {@code s} of
     * {@code src} at {@code srcOff + s * len}. {@code dst} and {@code src} must be different arrays.
     */
    static void mulAdd(float[] dst, int dstOff, int dstRows, int len, float[] src, int srcOff, int srcRows,
            float[] w, int wOff, int wd, int ws) {
        for (int d = 0; d < dstRows; d++) {
            int o = dstOff + d * len;
            int wr = wOff + d * wd;
            int s = 0;
            // Eight source rows per pass: eight multiply-adds per load and store of a destination element.
            for (; s + 8 <= srcRows; s += 8) {
                float w0 = w[wr + s * ws];
                float w1 = w[wr + (s + 1) * ws];
                float w2 = w[wr + (s + 2) * ws];
                float w3 = w[wr + (s + 3) * ws];
                float w4 = w[wr + (s + 4) * ws];
                float w5 = w[wr + (s + 5) * ws];
                float w6 = w[wr + (s + 6) * ws];
                float w7 = w[wr + (s + 7) * ws];
                int s0 = srcOff + s * len;
                int s1 = s0 + len;
                int s2 = s1 + len;
                int s3 = s2 + len;
                int s4 = s3 + len;
                int s5 = s4 + len;
                int s6 = s5 + len;
                int s7 = s6 + len;
                for (int l = 0; l < len; l++) {
                    dst[o + l] += (w0 * src[s0 + l] + w1 * src[s1 + l]) + (w2 * src[s2 + l] + w3 * src[s3 + l])
                            + ((w4 * src[s4 + l] + w5 * src[s5 + l]) + (w6 * src[s6 + l] + w7 * src[s7 + l]));
                }
            }
            for (; s + 4 <= srcRows; s += 4) {
                float w0 = w[wr + s * ws];
                float w1 = w[wr + (s + 1) * ws];
                float w2 = w[wr + (s + 2) * ws];
                float w3 = w[wr + (s + 3) * ws];
                int s0 = srcOff + s * len;
                int s1 = s0 + len;
                int s2 = s1 + len;
                int s3 = s2 + len;
                for (int l = 0; l < len; l++) {
                    dst[o + l] += (w0 * src[s0 + l] + w1 * src[s1 + l]) + (w2 * src[s2 + l] + w3 * src[s3 + l]);
                }
            }
            for (; s < srcRows; s++) {
                float w0 = w[wr + s * ws];
                int s0 = srcOff + s * len;
                for (int l = 0; l < len; l++) {
                    dst[o + l] += w0 * src[s0 + l];
                }
            }
        }
    }

    /** {@code dst[c][r] = src[r][c]} for a matrix of {@code rows} rows of {@code cols}. */
    static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[o + c];
            }
        }
    }

    /** {@code acc[i] += x[i]} for {@code i < n}. */
    static void add(float[] acc, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += x[i];
        }
    }

    /** Adds the sum of each row of {@code src} ({@code rows} rows of {@code len}) to {@code out[outOff + r]}. */
    static void addRowSums(float[] src, int rows, int len, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            float s = 0;
            int o = r * len;
            for (int l = 0; l < len; l++) {
                s += src[o + l];
            }
            out[outOff + r] += s;
        }
    }
}
