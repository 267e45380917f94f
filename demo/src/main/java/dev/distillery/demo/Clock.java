package dev.distillery.demo;

/** Elapsed time since the launcher started, for the {@code [  42s]} prefix of every status line. */
final class Clock {

    private final long startNanos;

    Clock() {
        this(System.nanoTime());
    }

    Clock(long startNanos) {
        this.startNanos = startNanos;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    String stamp() {
        return stamp(elapsedSeconds());
    }

    static String stamp(double seconds) {
        return String.format(java.util.Locale.ROOT, "[%5.0fs]", seconds);
    }
}
