package dev.distillery.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import dev.distillery.demo.process.ServiceBuild;

/**
 * Entry point of {@code ./distillery}. Parses the arguments first, then builds the services if one is missing
 * ({@link ServiceBuild}), so that a wrong option fails at once. Exit codes: 0 done, 1 the run failed (see the message and the logs),
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
        } catch (LauncherOptions.VersionRequested e) {
            System.out.println("distillery " + version());
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
            if (options.command() != LauncherOptions.Command.EVAL) {
                ServiceBuild.ensureBuilt(repoRoot, System.out);
            }
            exit = switch (options.command()) {
                case DEMO -> new DemoCommand(options, repoRoot, System.out).run();
                case BENCH -> new BenchCommand(options, repoRoot, System.out).run();
                case EVAL -> new EvalCommand(options, repoRoot, System.out).run();
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

    /** The project version, from the Maven descriptor in the launcher's jar ("unknown" when run from classes). */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/dev.distillery/demo/pom.properties")) {
            if (in != null) {
                Properties pom = new Properties();
                pom.load(in);
                return pom.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // reported as unknown
        }
        return "unknown";
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
