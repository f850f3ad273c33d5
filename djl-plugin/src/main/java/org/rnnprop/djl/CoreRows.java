package org.rnnprop.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One parameter's state for the core kernel, in the core's row layout ({@code [m, v,] h1, c1, h2, c2} per
 * coordinate, float32): slabs of whole rows, each a CPU NDArray that the kernel reads and writes in place
 * through a direct buffer over its memory. Where an engine gives no such buffer (it hands out copies), the slab
 * is a direct buffer of the JVM's instead. Not thread-safe.
 */
final class CoreRows implements AutoCloseable {
    /** Rows per slab at most: a direct buffer holds at most 2^31 - 1 bytes. */
    static int maxSlabRows(int width) {
        return Integer.MAX_VALUE / (Float.BYTES * width);
    }

    final long coordinates;
    private final int width;
    private final int slabRows;
    private final NDArray[] arrays;
    private final FloatBuffer[] slabs;

    private CoreRows(long coordinates, int width, int slabRows, NDArray[] arrays, FloatBuffer[] slabs) {
        this.coordinates = coordinates;
        this.width = width;
        this.slabRows = slabRows;
        this.arrays = arrays;
        this.slabs = slabs;
    }

    /** All-zero rows for {@code coordinates} coordinates in slabs of {@code slabRows}, on the CPU {@code manager}. */
    static CoreRows zeros(long coordinates, int width, int slabRows, NDManager manager) {
        if (slabRows < 1 || slabRows > maxSlabRows(width)) {
            throw new IllegalArgumentException("slab of " + slabRows + " rows of " + width + " floats");
        }
        int count = Math.toIntExact((coordinates + slabRows - 1) / slabRows);
        NDArray[] arrays = new NDArray[count];
        FloatBuffer[] slabs = new FloatBuffer[count];
        for (int i = 0; i < count; i++) {
            long rows = Math.min(slabRows, coordinates - (long) i * slabRows);
            NDArray a = manager.zeros(new Shape(rows, width), DataType.FLOAT32);
            ByteBuffer b = a.toByteBuffer(true);
            if (isLiveView(a, b, rows * width)) {
                arrays[i] = a;
            } else {
                a.close();
                b = ByteBuffer.allocateDirect(Math.toIntExact(rows * width * Float.BYTES));
            }
            slabs[i] = b.order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        return new CoreRows(coordinates, width, slabRows, arrays, slabs);
    }

    /**
     * Whether {@code b} is the memory of {@code a} itself ({@code floats} float32 values): a write through it shows
     * in the array. Probes the first value through the engine and restores it.
     */
    static boolean isLiveView(NDArray a, ByteBuffer b, long floats) {
        if (!b.isDirect() || b.capacity() != floats * Float.BYTES) {
            return false;
        }
        b.order(ByteOrder.nativeOrder());
        float first = b.getFloat(0);
        float probe = first == 1f ? 2f : 1f;
        b.putFloat(0, probe);
        boolean live = a.getFloat(new long[a.getShape().dimension()]) == probe;
        b.putFloat(0, first);
        return live;
    }

    /** Coordinates per slab (the last one may hold fewer); a step's chunks are the slabs. */
    int slabRows() {
        return slabRows;
    }

    /** The slab that starts at coordinate {@code from} (a multiple of {@link #slabRows()}). */
    FloatBuffer slab(long from) {
        return slabs[Math.toIntExact(from / slabRows)];
    }

    /** Copies every row into {@code rows} ({@code coordinates * width} floats). */
    void copyTo(float[] rows) {
        for (int i = 0; i < slabs.length; i++) {
            int floats = slabFloats(i);
            slabs[i].get(0, rows, Math.toIntExact((long) i * slabRows * width), floats);
        }
    }

    /** Replaces every row by those of {@code rows} ({@code coordinates * width} floats). */
    void copyFrom(float[] rows) {
        for (int i = 0; i < slabs.length; i++) {
            slabs[i].put(0, rows, Math.toIntExact((long) i * slabRows * width), slabFloats(i));
        }
    }

    private int slabFloats(int i) {
        return Math.toIntExact(Math.min(slabRows, coordinates - (long) i * slabRows) * width);
    }

    /** Frees the native slabs; the buffers must not be used after. */
    @Override
    public void close() {
        for (NDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }
}
