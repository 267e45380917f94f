package dev.distillery.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.distillery.agreement.AgreementTally;
import dev.distillery.task.language.LanguageIdRules;

import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.run.EvalInput;

/**
 * {@code ./distillery eval FILE} end to end over real HTTP, against in-process stand-ins for the two services (the
 * launcher module carries no model engine, and starting the Quarkus services is the pipeline tests' job): the teacher
 * stand-in answers {@code /v1/label} with the real rules teacher ({@link LanguageIdRules}, what teacher-service's
 * {@code rules} kind runs) and refuses a blank text; the student stand-in answers {@code /v1/classify} with
 * {@code "policy": "student"} with the same rules on the text's first {@value #STUDENT_READS} characters only, a
 * student that cannot read long texts, so that agreement differs by length; with {@code "policy": "cascade"} it
 * answers texts of up to {@value #STUDENT_READS} characters itself and defers longer ones to the rules (as the
 * real student defers to the teacher); without a policy it answers {@value #NO_POLICY}, so a command that leaves the
 * service's default policy in charge fails. Checks the command: input formats, calls, refusals, the figures and the
 * report.
 */
class EvalCommandStandInServicesTest {

    private static final LanguageIdRules RULES = new LanguageIdRules();
    static final int STUDENT_READS = 12;
    static final String NO_POLICY = "no-policy";
    private static final java.util.concurrent.atomic.AtomicInteger teacherCalls =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.List<String> cascadeOrder = java.util.Collections.synchronizedList(
            new java.util.ArrayList<>());
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/teacher/q/health/ready", e -> reply(e, 200, Map.of("status", "UP")));
        server.createContext("/student/q/health/ready", e -> reply(e, 200, Map.of("status", "UP")));
        server.createContext("/teacher/v1/label", e -> {
            teacherCalls.incrementAndGet();
            String text = text(e);
            if (text.isBlank()) {
                reply(e, 422, Map.of("error", "empty-text")); // as the teacher refuses an empty text
            } else {
                reply(e, 200, Map.of("label", RULES.classify(text)));
            }
        });
        server.createContext("/student/v1/classify", e -> {
            JsonNode body = HttpJson.mapper().readTree(e.getRequestBody().readAllBytes());
            String text = body.path("text").asText("");
            switch (body.path("policy").asText("")) {
                case "student" -> reply(e, 200, Map.of("label", student(text), "answeredBy", "student"));
                case "cascade" -> {
                    cascadeOrder.add(text);
                    boolean sure = text.length() <= STUDENT_READS;
                    reply(e, 200, Map.of("label", sure ? student(text) : RULES.classify(text),
                            "answeredBy", sure ? "student" : "teacher"));
                }
                default -> reply(e, 200, Map.of("label", NO_POLICY, "answeredBy", "student"));
            }
        });
        server.createContext("/lone-student/q/health/ready", e -> reply(e, 200, Map.of("status", "UP")));
        server.createContext("/lone-student/v1/classify", e -> {
            JsonNode body = HttpJson.mapper().readTree(e.getRequestBody().readAllBytes());
            if (body.path("policy").asText("").equals("cascade")) {
                reply(e, 400, Map.of("error", "cascade-unavailable")); // as a student without a teacher URL does
            } else {
                reply(e, 200, Map.of("label", student(body.path("text").asText("")), "answeredBy", "student"));
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void jsonLinesWithLabelsAreScoredOverallByLabelAndByLength(@TempDir Path dir) throws Exception {
        List<String[]> rows = List.of(
                new String[] {"Wo ist der Bahnhof?", "de"},
                new String[] {"Ich habe heute leider keine Zeit, vielleicht morgen Abend.", "de"},
                new String[] {"Où est la gare, s'il vous plaît ?", "fr"},
                new String[] {"The council voted on Tuesday to extend the bus network to the new estates in the "
                        + "north of the town, after years of complaints.", "en"},
                new String[] {"Το δημοτικό συμβούλιο αποφάσισε την Τρίτη να επεκτείνει το δίκτυο των λεωφορείων "
                        + "μέχρι τις νέες γειτονιές στα βόρεια της πόλης, είπε ο δήμαρχος στους δημοσιογράφους "
                        + "μετά τη συνεδρίαση.", "el"},
                new String[] {"我爱你", "zh"},
                new String[] {" ", "en"});
        StringBuilder file = new StringBuilder();
        AgreementTally expected = new AgreementTally();
        AgreementTally expectedAccuracy = new AgreementTally();
        for (String[] row : rows) {
            file.append(HttpJson.mapper().writeValueAsString(Map.of("text", row[0], "label", row[1]))).append('\n');
            if (!row[0].isBlank()) {
                String teacher = RULES.classify(row[0]);
                String answer = student(row[0]);
                expected.add(row[0], teacher, answer);
                expectedAccuracy.add(row[0], row[1], answer);
            }
        }
        file.append('\n'); // a blank line is skipped
        Path input = Files.writeString(dir.resolve("texts.jsonl"), file.toString());
        Path reportFile = dir.resolve("out/report.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new EvalCommand(LauncherOptions.parse(List.of("eval", input.toString(), "--report",
                reportFile.toString(), "--teacher", base + "/teacher", "--student", base + "/student/")), dir,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        assertEquals(0, exit);
        JsonNode report = HttpJson.mapper().readTree(reportFile.toFile());
        assertEquals(7, report.get("texts").asInt());
        assertEquals(6, report.get("compared").asInt());
        assertEquals(1, report.get("teacherRefused").asInt(), "the blank text");
        assertEquals(expected.agreement(), report.get("agreement").asDouble(), 1e-9);
        assertEquals(expectedAccuracy.agreement(), report.get("studentAccuracy").asDouble(), 1e-9);
        assertEquals(6, report.get("labeled").asInt());
        expected.byLength().forEach((bucket, value) ->
                assertEquals(value, report.get("agreementByLength").get(bucket).asDouble(), 1e-9, bucket));
        assertEquals(expected.countByLength().keySet(), keys(report.get("textsByLength")));
        assertTrue(report.get("textsByLength").size() >= 3, "short and long texts: " + report.get("textsByLength"));
        assertTrue(expected.agreement() < 1.0, "the stand-in student misses something, so the figures are tested");
        expected.byLabel().forEach((label, value) ->
                assertEquals(value, report.get("agreementByLabel").get(label).asDouble(), 1e-9, label));
        expected.countByLabel().forEach((label, n) ->
                assertEquals(n, report.get("textsByLabel").get(label).asInt(), label));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("student vs teacher") && text.contains("by length") && text.contains("teacher vs file"),
                text);
    }

    @Test
    void cascadeSendsTheTextsOneByOneInOrderAndReportsCoverageByLengthAndQuarter(@TempDir Path dir) throws Exception {
        List<String> texts = List.of("Hallo Welt", "Merci bien", "Wo ist der Bahnhof, bitte? Ich finde ihn nicht.",
                "Où est la gare, s'il vous plaît ? Je ne la trouve pas.", "Ja, danke!", "Gracias",
                "The council voted on Tuesday to extend the bus network to the new estates in the north.",
                "Bonjour");
        Path input = Files.writeString(dir.resolve("texts.txt"), String.join("\n", texts) + "\n");
        Path reportFile = dir.resolve("report.json");
        cascadeOrder.clear();
        teacherCalls.set(0);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new EvalCommand(LauncherOptions.parse(List.of("eval", input.toString(), "--cascade", "--report",
                reportFile.toString(), "--teacher", base + "/teacher", "--student", base + "/student")), dir,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        assertEquals(0, exit);
        assertEquals(texts, cascadeOrder, "every text once, in the file's order");
        assertEquals(texts.size(), teacherCalls.get(), "the first pass's answers are the cascade's references");
        JsonNode report = HttpJson.mapper().readTree(reportFile.toFile());
        long shortTexts = texts.stream().filter(t -> t.length() <= STUDENT_READS).count();
        assertEquals(texts.size(), report.get("cascadeQueries").asInt());
        assertEquals(shortTexts / (double) texts.size(), report.get("cascadeCoverage").asDouble(), 1e-9);
        assertEquals(shortTexts, report.get("teacherCallsSaved").asLong());
        assertEquals(1.0, report.get("cascadeCoverageByLength").get("<40").asDouble(), 1e-9);
        assertEquals(0.0, report.get("cascadeCoverageByLength").get("40-80").asDouble(), 1e-9);
        assertEquals(1.0, report.get("cascadeAgreementByLength").get("40-80").asDouble(), 1e-9, "the teacher's own");
        List<Double> quarters = new java.util.ArrayList<>();
        report.get("cascadeCoverageByQuarter").forEach(q -> quarters.add(q.asDouble()));
        assertEquals(List.of(1.0, 0.0, 1.0, 0.5), quarters, "pairs of texts in the file's order");
        AgreementTally own = new AgreementTally();
        texts.forEach(t -> own.add(t, RULES.classify(t), student(t)));
        assertEquals(own.agreement(), report.get("agreement").asDouble(), 1e-9, "the student's own answers");
        AgreementTally served = new AgreementTally();
        texts.forEach(t -> served.add(t, RULES.classify(t),
                t.length() <= STUDENT_READS ? student(t) : RULES.classify(t)));
        served.byLabel().forEach((label, value) -> assertEquals(value,
                report.get("cascadeAgreementByLabel").get(label).asDouble(), 1e-9, "served, " + label));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("coverage by quarter"),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCascadeOfAStudentWithoutATeacherIsAnErrorNotAnEmptyReport(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("texts.txt"), "Hallo Welt\nBonjour tout le monde\n");
        assertEquals(1, new EvalCommand(LauncherOptions.parse(List.of("eval", input.toString(), "--cascade",
                "--teacher", base + "/teacher", "--student", base + "/lone-student")), dir, System.out).run());
        assertEquals(0, new EvalCommand(LauncherOptions.parse(List.of("eval", input.toString(),
                "--teacher", base + "/teacher", "--student", base + "/lone-student")), dir, System.out).run(),
                "without --cascade it is an ordinary evaluation");
    }

    @Test
    void plainLinesAreTextsAndTheRunningDemosEndpointsAreUsed(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("texts.txt"), "Bonjour\n{not json: the first line decides}\n");
        // A file whose first line is not JSON is one text per line, even if a later line looks like JSON.
        EvalCommand.Endpoints.write(dir, base + "/teacher", base + "/student");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new EvalCommand(LauncherOptions.parse(List.of("eval", input.toString())), dir,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        assertEquals(0, exit);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("2 (2 answered by both"),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unreadableInputAndMissingServicesAreClearErrors(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"ok\"}\n{\"label\": \"de\"}\n");
        IOException e = assertThrows(IOException.class, () -> EvalInput.read(bad));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Path badJson = Files.writeString(dir.resolve("bad2.jsonl"), "{\"text\": \"ok\"}\nplain\n");
        assertTrue(assertThrows(IOException.class, () -> EvalInput.read(badJson)).getMessage().contains("line 2"));
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
        assertThrows(IOException.class, () -> EvalInput.read(empty));
        Path ok = Files.writeString(dir.resolve("ok.txt"), "hello\n");
        assertThrows(IOException.class, () -> new EvalCommand(LauncherOptions.parse(List.of("eval", ok.toString())),
                dir, System.out).run(), "no demo recorded and no URLs");
        assertEquals(1, new EvalCommand(LauncherOptions.parse(List.of("eval", ok.toString(), "--teacher",
                base + "/nothing", "--student", base + "/student")), dir, System.out).run(), "nothing ready there");
    }

    private static String student(String text) {
        return RULES.classify(text.substring(0, Math.min(STUDENT_READS, text.length())));
    }

    private static java.util.Set<String> keys(JsonNode node) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String text(HttpExchange e) throws IOException {
        return HttpJson.mapper().readTree(e.getRequestBody().readAllBytes()).path("text").asText("");
    }

    private static void reply(HttpExchange e, int status, Object body) throws IOException {
        byte[] bytes = HttpJson.mapper().writeValueAsBytes(body);
        e.getResponseHeaders().add("Content-Type", "application/json");
        e.sendResponseHeaders(status, bytes.length);
        e.getResponseBody().write(bytes);
        e.close();
    }
}
