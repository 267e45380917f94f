package dev.distillery.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.distillery.demo.process.Clock;
import dev.distillery.demo.process.Pipeline;
import dev.distillery.demo.process.RunDirectory;
import dev.distillery.demo.process.ServiceBuild;
import dev.distillery.demo.report.FaultResult;
import dev.distillery.demo.run.QuerySource;

/**
 * {@code ./distillery faults}: the fault suite. Starts its own broker and the three packaged services, then injects
 * each fault into the running pipeline in turn and prints one line of figures per scenario; exits 1 when any
 * scenario fails (a missing query, or a failed request where none is allowed).
 */
final class FaultsCommand {

    static final List<String> ALL = List.of("poison", "broker-10s", "broker-90s", "trainer-kill", "student-kill",
            "swaps", "corrupt");
    static final String USAGE = """
            usage: ./distillery faults [--only NAME,...] [--report FILE]
              scenarios (in this order): %s
              --only NAME,...   run only these scenarios
              --report FILE     also write the result table to FILE
            """.formatted(String.join(", ", ALL));

    private final List<String> args;
    private final Path repoRoot;
    private final PrintStream out;

    FaultsCommand(List<String> args, Path repoRoot, PrintStream out) {
        this.args = args;
        this.repoRoot = repoRoot;
        this.out = out;
    }

    int run() throws Exception {
        Set<String> only = new LinkedHashSet<>(ALL);
        Path report = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--only" -> {
                    only = new LinkedHashSet<>(List.of(value(i++).split(",")));
                    if (!ALL.containsAll(only)) {
                        throw new IllegalArgumentException("unknown scenario in " + only + "; known: " + ALL);
                    }
                }
                case "--report" -> report = Path.of(value(i++));
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "'\n" + USAGE);
            }
        }
        ServiceBuild.ensureBuilt(repoRoot, out);
        Clock clock = new Clock();
        Path runDir = RunDirectory.create(repoRoot);
        out.printf("%s fault suite: %s; logs in %s%n", clock.stamp(), only, repoRoot.relativize(runDir));
        List<FaultResult> results = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(repoRoot, runDir, null, null, out, clock)) {
            FaultScenarios scenarios = new FaultScenarios(pipeline, QuerySource.builtIn(), out, clock);
            for (String name : ALL) {
                if (!only.contains(name)) {
                    continue;
                }
                out.printf("%s scenario %s ...%n", clock.stamp(), name);
                FaultResult result = switch (name) {
                    case "poison" -> scenarios.poisonRecords();
                    case "broker-10s" -> scenarios.brokerOutage(Duration.ofSeconds(10));
                    case "broker-90s" -> scenarios.brokerOutage(Duration.ofSeconds(90));
                    case "trainer-kill" -> scenarios.trainerKill();
                    case "student-kill" -> scenarios.studentKill();
                    case "swaps" -> scenarios.checkpointSwaps(Duration.ofSeconds(60));
                    case "corrupt" -> scenarios.corruptCheckpoints();
                    default -> throw new IllegalStateException(name);
                };
                results.add(result);
                out.print(FaultResult.table(List.of(result)));
            }
        }
        String table = FaultResult.table(results);
        out.println();
        out.print(table);
        if (report != null) {
            Files.writeString(report, table);
        }
        return results.stream().allMatch(FaultResult::passed) ? 0 : 1;
    }

    private String value(int i) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }
}
