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
import dev.distillery.model.BaseModel;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;
import dev.distillery.task.TaskSpec;
import dev.distillery.task.language.LanguageIdRules;

/**
 * {@code ./distillery eval FILE} end to end over real HTTP. The services are in-process stand-ins that answer with the
 * real logic: the rules teacher ({@link LanguageIdRules}, what teacher-service's {@code rules} kind runs) on
 * {@code /v1/label}, a real tiny student ({@link StudentModel}, untrained: its answers are arbitrary but fixed) on
 * {@code /v1/classify}. Starting the Quarkus services is the pipeline tests' job; this one checks the command: parsing,
 * calls, refusals, the figures and the report file.
 */
class EvalCommandTest {

    private static final LanguageIdRules RULES = new LanguageIdRules();
    private static StudentModel student;
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        student = StudentModel.create(BaseModel.tiny(), LoraConfig.defaults(), TaskSpec.languageId().labels(), "cpu",
                3);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/teacher/q/health/ready", e -> reply(e, 200, Map.of("status", "UP")));
        server.createContext("/student/q/health/ready", e -> reply(e, 200, Map.of("status", "UP")));
        server.createContext("/teacher/v1/label", e -> {
            String text = text(e);
            if (text.isBlank()) {
                reply(e, 422, Map.of("error", "empty-text")); // as the teacher refuses an empty text
            } else {
                reply(e, 200, Map.of("label", RULES.classify(text)));
            }
        });
        server.createContext("/student/v1/classify", e -> reply(e, 200,
                Map.of("label", student.predict(List.of(text(e))).get(0).label())));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        student.close();
    }

    @Test
    void jsonLinesWithLabelsAreScoredOverallByLabelAndByLength(@TempDir Path dir) throws Exception {
        List<String[]> rows = List.of(
                new String[] {"Wo ist der Bahnhof?", "de"},
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
                String answer = student.predict(List.of(row[0])).get(0).label();
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
        assertEquals(6, report.get("texts").asInt());
        assertEquals(5, report.get("compared").asInt());
        assertEquals(1, report.get("teacherRefused").asInt(), "the blank text");
        assertEquals(expected.agreement(), report.get("agreement").asDouble(), 1e-9);
        assertEquals(expectedAccuracy.agreement(), report.get("studentAccuracy").asDouble(), 1e-9);
        assertEquals(5, report.get("labeled").asInt());
        expected.byLength().forEach((bucket, value) ->
                assertEquals(value, report.get("agreementByLength").get(bucket).asDouble(), 1e-9, bucket));
        assertEquals(expected.countByLength().keySet(), keys(report.get("textsByLength")));
        assertTrue(report.get("textsByLength").has("200+") || report.get("textsByLength").has("120-200"));
        expected.byLabel().forEach((label, value) ->
                assertEquals(value, report.get("agreementByLabel").get(label).asDouble(), 1e-9, label));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("student vs teacher") && text.contains("by length") && text.contains("teacher vs file"),
                text);
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
