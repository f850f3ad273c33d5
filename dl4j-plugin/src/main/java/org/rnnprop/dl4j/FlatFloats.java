package org.rnnprop.dl4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array seen as a flat run of floats, one slab at a time, for the core's step kernel.
 *
 * <p>A contiguous float32 array on the CPU backend is handed over as a direct buffer over its own memory, so
 * the kernel reads and writes it in place with no copy. Anything else (float64, half precision, strided views,
 * another backend) is copied through a float scratch array and written back: correct, slower.
 *
 * <p>Element {@code i} is memory element {@code offset() + i} of a contiguous array (ND4J's
 * {@code data().pointer()} is the whole allocation and {@code offset()} counts from its start) and linear index
 * {@code i} of any other. Buffers are made per slab from the native pointer rather than from
 * {@code data().asNioFloat()}, because an NIO buffer over a whole allocation cannot pass 2 GiB.
 */
final class FlatFloats {
    private enum Mode { DIRECT_FLOAT, DIRECT_DOUBLE, ELEMENTWISE }

    private static volatile Boolean cpuBackend;

    private final INDArray array;
    private final Mode mode;

    private FlatFloats(INDArray array, Mode mode) {
        this.array = array;
        this.mode = mode;
    }

    static FlatFloats of(INDArray array) {
        boolean contiguous = array.elementWiseStride() == 1 && array.data().pointer() != null && isCpu();
        Mode mode = !contiguous ? Mode.ELEMENTWISE
                : array.dataType() == DataType.FLOAT ? Mode.DIRECT_FLOAT
                : array.dataType() == DataType.DOUBLE ? Mode.DIRECT_DOUBLE
                : Mode.ELEMENTWISE;
        return new FlatFloats(array, mode);
    }

    /** Raw host memory is the array's only on the CPU backend; elsewhere it would need syncing. */
    private static boolean isCpu() {
        Boolean cpu = cpuBackend;
        if (cpu == null) {
            cpu = Nd4j.getEnvironment().isCPU();
            cpuBackend = cpu;
        }
        return cpu;
    }

    /** Whether the kernel works on the array's own memory. */
    boolean isDirect() {
        return mode == Mode.DIRECT_FLOAT;
    }

    /**
     * Elements {@code [start, start + len)} as a buffer indexed from 0: the array's memory, or a copy in
     * {@code scratch} (at least {@code len} long) to be returned with {@link #writeBack}.
     */
    FloatBuffer open(long start, int len, float[] scratch) {
        switch (mode) {
            case DIRECT_FLOAT:
                return floats(start, len);
            case DIRECT_DOUBLE: {
                DoubleBuffer d = doubles(start, len);
                for (int i = 0; i < len; i++) {
                    scratch[i] = (float) d.get(i);
                }
                return FloatBuffer.wrap(scratch);
            }
            default:
                for (int i = 0; i < len; i++) {
                    scratch[i] = array.getFloat(start + i);
                }
                return FloatBuffer.wrap(scratch);
        }
    }

    /** Copies a slab opened over {@code scratch} back into the array; nothing to do for direct memory. */
    void writeBack(long start, int len, float[] scratch) {
        switch (mode) {
            case DIRECT_FLOAT:
                return;
            case DIRECT_DOUBLE: {
                DoubleBuffer d = doubles(start, len);
                for (int i = 0; i < len; i++) {
                    d.put(i, scratch[i]);
                }
                return;
            }
            default:
                for (int i = 0; i < len; i++) {
                    array.putScalar(start + i, scratch[i]);
                }
        }
    }

    /**
     * Elements {@code [start, start + len)} as the raw 32-bit patterns of packed state, indexed from 0: the
     * array's memory read as ints (the in-place path, where no pattern can change), or a copy in {@code scratch}
     * to be returned with {@link #writeBackBits}. A copy passes each value through a float, which keeps every
     * pattern but those of NaNs (a float64 array holds the float exactly; a NaN may come back quieted).
     */
    IntBuffer openBits(long start, int len, int[] scratch) {
        switch (mode) {
            case DIRECT_FLOAT: {
                IntPointer p = new IntPointer(array.data().pointer()).getPointer(array.offset() + start);
                return p.position(0).capacity(len).limit(len).asBuffer();
            }
            case DIRECT_DOUBLE: {
                DoubleBuffer d = doubles(start, len);
                for (int i = 0; i < len; i++) {
                    scratch[i] = Float.floatToRawIntBits((float) d.get(i));
                }
                return IntBuffer.wrap(scratch);
            }
            default:
                for (int i = 0; i < len; i++) {
                    scratch[i] = Float.floatToRawIntBits(array.getFloat(start + i));
                }
                return IntBuffer.wrap(scratch);
        }
    }

    /** Copies bits opened over {@code scratch} back into the array; nothing to do for direct memory. */
    void writeBackBits(long start, int len, int[] scratch) {
        switch (mode) {
            case DIRECT_FLOAT:
                return;
            case DIRECT_DOUBLE: {
                DoubleBuffer d = doubles(start, len);
                for (int i = 0; i < len; i++) {
                    d.put(i, Float.intBitsToFloat(scratch[i]));
                }
                return;
            }
            default:
                for (int i = 0; i < len; i++) {
                    array.putScalar(start + i, Float.intBitsToFloat(scratch[i]));
                }
        }
    }

    // The copy constructors take the address from ND4J's pointer (a subclass whose sizeof() JavaCPP cannot
    // compute); getPointer on the plain FloatPointer/DoublePointer then offsets by whole elements.

    /** Elements {@code [start, start + len)} of a float32 array as a direct buffer indexed from 0. */
    private FloatBuffer floats(long start, int len) {
        FloatPointer p = new FloatPointer(array.data().pointer()).getPointer(array.offset() + start);
        return p.position(0).capacity(len).limit(len).asBuffer();
    }

    /** Elements {@code [start, start + len)} of a float64 array as a direct buffer indexed from 0. */
    private DoubleBuffer doubles(long start, int len) {
        DoublePointer p = new DoublePointer(array.data().pointer()).getPointer(array.offset() + start);
        return p.position(0).capacity(len).limit(len).asBuffer();
    }
}
