package dev.teal.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails a test class when Netty reports a leaked buffer. Installed before any buffer class loads (as a launcher
 * session listener) so every detector reports here; tests run with {@code -Dio.netty.leakDetection.level=paranoid}.
 */
public final class LeakGuard implements LauncherSessionListener, AfterAllCallback {
    private static final List<String> LEAKS = new ArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        record(resourceType + records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        record(resourceType);
                    }
                };
            }
        });
    }

    private static synchronized void record(String leak) {
        LEAKS.add(leak);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // A leak is reported when a leaked buffer has been collected and a later allocation polls the detector's
        // queue. Force that here, at the end of the class whose buffers they were: collect until a sentinel object is
        // seen collected (reference processing has run), then allocate so every detector polls its queue.
        for (int i = 0; i < 3; i++) {
            collectGarbage();
            for (int k = 0; k < 200; k++) {
                ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
                ByteBuf h = ByteBufAllocator.DEFAULT.heapBuffer(64);
                h.release();
            }
        }
        String testClass = context.getRequiredTestClass().getName();
        synchronized (LeakGuard.class) {
            if (!LEAKS.isEmpty()) {
                String first = LEAKS.get(0);
                int n = LEAKS.size();
                LEAKS.clear();
                // the access records name the code that touched the buffer; say which test class they point at
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("dev\\.teal\\.[\\w.]+Test").matcher(first);
                String named = m.find() ? m.group() : testClass;
                throw new AssertionError(n + " Netty buffer leak(s) reported at the end of " + testClass
                        + (named.equals(testClass) ? "" : " (the records point at " + named + ")") + "; first: " + first);
            }
        }
    }

    private static void collectGarbage() {
        java.lang.ref.ReferenceQueue<Object> queue = new java.lang.ref.ReferenceQueue<>();
        java.lang.ref.WeakReference<Object> sentinel = new java.lang.ref.WeakReference<>(new Object(), queue);
        for (int i = 0; i < 10 && !sentinel.refersTo(null); i++) {
            System.gc();
        }
        try {
            queue.remove(1000); // enqueued by the reference handler with the other references of that collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
