package dev.distillery.demo.process;

/** Elapsed time since the launcher started, for the {@code [  42s]} prefix of every status line. */
public final class Clock {

    private final long startNanos;

    public Clock() {
        this(System.nanoTime());
    }

    public Clock(long startNanos) {
        this.startNanos = startNanos;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public String stamp() {
        return stamp(elapsedSeconds());
    }

    public static String stamp(double seconds) {
        return String.format(java.util.Locale.ROOT, "[%5.0fs]", seconds);
    }
}
