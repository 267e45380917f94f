package dev.distillery.demo.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What must be stopped when the launcher JVM exits for any reason (normal end, error, Ctrl-C): closed in reverse
 * order of registration by a single shutdown hook.
 */
public final class ShutdownRegistry {

    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();
    private static boolean hookInstalled;
    private static volatile boolean stopping;

    private ShutdownRegistry() {
    }

    static synchronized void register(AutoCloseable closeable) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                boolean work;
                synchronized (ShutdownRegistry.class) {
                    work = !OPEN.isEmpty();
                }
                if (work) {
                    System.out.println("stopping the services and the broker ...");
                    System.out.flush();
                }
                closeAll();
            }, "distillery-shutdown"));
            hookInstalled = true;
        }
        OPEN.push(closeable);
    }

    static synchronized void unregister(AutoCloseable closeable) {
        OPEN.remove(closeable);
    }

    /** True once the JVM is shutting down (Ctrl-C, SIGTERM, System.exit): children dying is then expected. */
    static boolean stopping() {
        return stopping;
    }

    static void closeAll() {
        stopping = true;
        List<AutoCloseable> toClose;
        synchronized (ShutdownRegistry.class) {
            toClose = new ArrayList<>(OPEN);
            OPEN.clear();
        }
        for (AutoCloseable closeable : toClose) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("warning: while stopping: " + e);
            }
        }
    }
}
