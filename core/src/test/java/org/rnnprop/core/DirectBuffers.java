package org.rnnprop.core;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Test support: makes the JVM free the direct ByteBuffers nothing references any more, as a garbage collection
 * at an unlucky moment would. Tests use it to show that no tensor still points into such a buffer.
 */
public final class DirectBuffers {
    private DirectBuffers() {
    }

    /** Collects garbage until a canary buffer dropped here has been freed (their cleaner runs in order). */
    public static void freeUnreachable() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'direct' buffer pool"));
        long before = direct.getCount();
        ByteBuffer canary = ByteBuffer.allocateDirect(1);
        canary.put((byte) 1);
        canary = null;
        for (int i = 0; i < 100 && direct.getCount() > before; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
