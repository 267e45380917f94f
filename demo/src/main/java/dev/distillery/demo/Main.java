package dev.distillery.demo;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point of {@code ./distillery}. Exit codes: 0 done, 1 the run failed (see the message and the logs),
 * 2 bad arguments, 130 interrupted.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("faults")) {
            runFaults(Arrays.asList(args).subList(1, args.length));
            return;
        }
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(Arrays.asList(args));
        } catch (LauncherOptions.HelpRequested e) {
            System.out.print(LauncherOptions.USAGE);
            return;
        } catch (LauncherOptions.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        Path repoRoot = Path.of(System.getProperty("distillery.home", ".")).toAbsolutePath().normalize();
        int exit;
        try {
            exit = switch (options.command()) {
                case DEMO -> new DemoCommand(options, repoRoot, System.out).run();
                case BENCH -> new BenchCommand(options, repoRoot, System.out).run();
            };
        } catch (InterruptedException e) {
            exit = 130;
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            if (Boolean.getBoolean("distillery.debug")) {
                e.printStackTrace();
            }
            exit = 1;
        }
        System.out.flush();
        // Runs the shutdown hook, which stops whatever is still running.
        System.exit(exit);
    }

    /** {@code ./distillery faults}: its own options (see {@link FaultsCommand#USAGE}). */
    private static void runFaults(java.util.List<String> args) {
        // The suite's own clients reconnect through every broker outage it causes: their warnings are expected noise.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        Path repoRoot = Path.of(System.getProperty("distillery.home", ".")).toAbsolutePath().normalize();
        int exit;
        try {
            exit = new FaultsCommand(args, repoRoot, System.out).run();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            exit = 2;
        } catch (InterruptedException e) {
            exit = 130;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.out.flush();
        System.exit(exit);
    }
}
