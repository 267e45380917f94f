package dev.distillery.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What must be stopped when the launcher JVM exits for any reason (normal end, error, Ctrl-C): closed in reverse
 * order of registration by a single shutdown hook.
 */
final class ShutdownRegistry {

    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();
    private static boolean hookInstalled;

    private ShutdownRegistry() {
    }

    static synchronized void register(AutoCloseable closeable) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownRegistry::closeAll, "distillery-shutdown"));
            hookInstalled = true;
        }
        OPEN.push(closeable);
    }

    static synchronized void unregister(AutoCloseable closeable) {
        OPEN.remove(closeable);
    }

    static void closeAll() {
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
