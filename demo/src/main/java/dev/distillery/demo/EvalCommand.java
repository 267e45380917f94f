package dev.distillery.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.report.EvalReport;
import dev.distillery.demo.run.CascadeCheck;
import dev.distillery.demo.run.EvalInput;

/**
 * {@code ./distillery eval FILE}: the teacher ({@code POST /v1/label}) and the served student's own answer
 * ({@code POST /v1/classify}, {@code "policy": "student"}) for every text of the file; prints their agreement overall,
 * by the teacher's label and by length, and, where the file gives a {@code label}, how often each is right. With
 * {@code --cascade}, then sends the texts one by one through the cascade, as a user's traffic would arrive, and
 * prints its coverage and served agreement ({@link CascadeCheck}). Against the running demo (the endpoints it records
 * in {@code .demo/endpoints.json}) or given {@code --teacher URL --student URL}.
 */
final class EvalCommand {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Calls in flight: enough to keep both services busy, few enough not to crowd out a running demo. */
    static final int PARALLEL = 8;

    private final LauncherOptions options;
    private final Path repoRoot;
    private final PrintStream out;
    private final HttpJson http = new HttpJson();

    EvalCommand(LauncherOptions options, Path repoRoot, PrintStream out) {
        this.options = options;
        this.repoRoot = repoRoot;
        this.out = out;
    }

    int run() throws Exception {
        EvalInput input = EvalInput.read(options.evalFile());
        Endpoints endpoints = endpoints();
        for (String url : List.of(endpoints.teacher(), endpoints.student())) {
            if (http.status(url + "/q/health/ready", Duration.ofSeconds(5)) != 200) {
                System.err.println("error: nothing ready answers at " + url + " (start ./distillery demo, or pass "
                        + "--teacher URL --student URL)");
                return 1;
            }
        }
        out.printf("asking the teacher (%s) and the student (%s) about %d texts of %s ...%n", endpoints.teacher(),
                endpoints.student(), input.items().size(), options.evalFile());
        List<EvalReport.Answer> answers = answerAll(endpoints, input.items());
        CascadeCheck.Result cascade = CascadeCheck.Result.NONE;
        if (options.evalCascade()) {
            out.printf("sending the %d texts one by one through the cascade (policy cascade; the texts the student "
                    + "defers go to the teacher, which publishes them for the trainer) ...%n", input.items().size());
            // The teacher's answers of the first pass are the references: it is not asked twice.
            Map<String, String> references = new java.util.HashMap<>();
            answers.stream().filter(EvalReport.Answer::teacherAnswered)
                    .forEach(a -> references.put(a.item().text(), a.teacher()));
            cascade = CascadeCheck.measure(http, endpoints.teacher(), endpoints.student(),
                    input.items().stream().map(EvalInput.Item::text).toList(), references);
            if (cascade.queries() == 0) {
                System.err.println("error: the student answered none of the texts through the cascade (a student "
                        + "without distillery.student.teacher-url refuses policy cascade with 400 cascade-unavailable)");
                return 1;
            }
        }
        EvalReport report = EvalReport.of(options.evalFile().toString(), endpoints.teacher(), endpoints.student(),
                answers, cascade);
        out.print(report.render());
        if (options.reportFile() != null) {
            report.writeJson(options.reportFile());
            out.println("report written to " + options.reportFile());
        }
        return 0;
    }

    /** @param teacher base URL of the teacher service; {@code student} the student service's */
    record Endpoints(String teacher, String student) {
        static final String FILE = ".demo/endpoints.json";

        /** Records where a running demo's services listen, for {@code ./distillery eval}. */
        static void write(Path repoRoot, String teacher, String student) throws IOException {
            Path file = repoRoot.resolve(FILE);
            Files.createDirectories(file.getParent());
            HttpJson.mapper().writeValue(file.toFile(), Map.of("teacher", teacher, "student", student));
        }
    }

    private Endpoints endpoints() throws IOException {
        if (options.teacherUrl() != null && options.studentUrl() != null) {
            return new Endpoints(strip(options.teacherUrl()), strip(options.studentUrl()));
        }
        Path file = repoRoot.resolve(Endpoints.FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no running demo recorded in " + Endpoints.FILE + ": start ./distillery demo, or "
                    + "pass --teacher URL --student URL");
        }
        JsonNode n = HttpJson.mapper().readTree(file.toFile());
        return new Endpoints(options.teacherUrl() != null ? strip(options.teacherUrl()) : n.path("teacher").asText(),
                options.studentUrl() != null ? strip(options.studentUrl()) : n.path("student").asText());
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private List<EvalReport.Answer> answerAll(Endpoints endpoints, List<EvalInput.Item> items) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<EvalReport.Answer>> futures = new ArrayList<>();
            for (EvalInput.Item item : items) {
                futures.add(pool.submit(() -> new EvalReport.Answer(item,
                        ask(endpoints.teacher() + "/v1/label", Map.of("text", item.text())),
                        // The student's own answer: the service's default policy may be the cascade, whose
                        // deferred answers are the teacher's and would be published as training data.
                        ask(endpoints.student() + "/v1/classify", Map.of("text", item.text(), "policy", "student")))));
            }
            List<EvalReport.Answer> answers = new ArrayList<>();
            for (Future<EvalReport.Answer> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The service's label, or {@code !} + why it gave none (a refused text, a failed call). */
    private String ask(String url, Map<String, String> body) throws InterruptedException {
        try {
            JsonNode n = http.post(url, body, CALL_TIMEOUT);
            String label = n.path("label").asText(null);
            return label != null ? label : "!no label in the answer";
        } catch (HttpJson.HttpStatusException e) {
            return "!HTTP " + e.status;
        } catch (IOException e) {
            return "!" + e.getClass().getSimpleName();
        }
    }
}
