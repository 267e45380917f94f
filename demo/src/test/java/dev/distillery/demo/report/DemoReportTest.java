package dev.distillery.demo.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.demo.run.CascadeCheck;

class DemoReportTest {

    static DemoReport sample() {
        return new DemoReport(1551, "built-in demo set", 1540, 11, 7, 7, 0.962, 150,
                Map.of("en", 0.99, "de", 0.97, "ot", 0.88), 0.955, 155, 4.2, 11.8, 200, 912, 912L * 1540, 41.5, 95.0, "tiny", "cpu", 0.951, 81);
    }

    @Test
    void jsonCarriesTheContractFields() throws Exception {
        JsonNode json = new ObjectMapper().readTree(sample().toJson());
        for (String field : new String[] {"heldOutAgreement", "checkpointVersion", "labeled", "rejected", "studentP50Ms",
                "promptTokensSavedPerRequest"}) {
            assertTrue(json.has(field), field);
            assertTrue(json.get(field).isNumber(), field + " is a number");
        }
        assertEquals(0.962, json.get("heldOutAgreement").asDouble());
        assertEquals(7, json.get("checkpointVersion").asLong());
        assertEquals(1540, json.get("labeled").asLong());
        assertEquals(11, json.get("rejected").asLong());
        assertEquals(912, json.get("promptTokensSavedPerRequest").asLong());
        assertEquals(912L * 1540, json.get("promptTokensSavedTotal").asLong());
        assertEquals(0.97, json.get("heldOutAgreementByLabel").get("de").asDouble());
        assertEquals(0.951, json.get("unseenAgreement").asDouble());
        assertEquals(81, json.get("unseenQueries").asInt());
        assertTrue(sample().render().matches("(?s).*agreement on unseen queries +0\\.951 \\(81 queries never streamed.*"),
                sample().render());
    }

    @Test
    void cascadeFiguresAreTopLevelFieldsAndRendered() throws Exception {
        DemoReport base = sample();
        DemoReport report = new DemoReport(base.queries(), base.queriesSource(), base.labeled(), base.rejected(),
                base.checkpointsPublished(), base.checkpointVersion(), base.heldOutAgreement(), base.heldOutExamples(),
                base.heldOutAgreementByLabel(), base.trainerHeldOutAgreement(), base.trainerHeldOutExamples(),
                base.studentP50Ms(), base.studentP99Ms(), base.latencySamples(), base.promptTokensSavedPerRequest(),
                base.promptTokensSavedTotal(), base.firstQueryToCheckpointSeconds(), base.firstQueryToReportSeconds(),
                base.studentBase(), base.trainerDevice(), base.unseenAgreement(), base.unseenQueries(),
                Map.of(), Map.of(), Map.of(), Map.of(), new CascadeCheck.Result(0.92, 0.991, 100, 92, 92L * 912, 0.99, "margin", 0.43,
                        Map.of("margin", 0.88), new java.util.LinkedHashMap<>(Map.of("<40", 0.75)), Map.of("<40", 0.98),
                        Map.of("es", 0.97), List.of(0.85, 0.9, 0.94, 0.99)));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(0.92, json.get("cascadeCoverage").asDouble());
        assertEquals(0.991, json.get("cascadeAgreement").asDouble());
        assertEquals(92, json.get("teacherCallsSaved").asLong());
        assertEquals(92L * 912, json.get("cascadePromptTokensSaved").asLong());
        assertEquals(0.43, json.get("cascadeThreshold").asDouble());
        assertEquals(0.88, json.get("cascadeCalibratedCoverage").get("margin").asDouble());
        assertEquals(0.75, json.get("cascadeCoverageByLength").get("<40").asDouble());
        assertEquals(0.98, json.get("cascadeAgreementByLength").get("<40").asDouble());
        assertEquals(0.97, json.get("cascadeAgreementByLabel").get("es").asDouble());
        assertTrue(report.render().contains("served agreement by label"), report.render());
        assertEquals(4, json.get("cascadeCoverageByQuarter").size());
        assertTrue(report.render().contains("0.850 -> 0.900 -> 0.940 -> 0.990 (in the order sent"),
                report.render());
        assertTrue(report.render().contains("coverage 0.920 (the student answered 92 of 100), served agreement 0.991"),
                report.render());
        assertTrue(new ObjectMapper().readTree(sample().toJson()).has("cascadeCoverage"), "present without a measurement too");
    }

    @Test
    void writesJsonFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/report.json");
        sample().writeJson(file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertEquals(0.962, json.get("heldOutAgreement").asDouble());
    }

    @Test
    void unknownLatencyIsNullNotAnError() throws Exception {
        DemoReport report = new DemoReport(10, "x", 0, 10, 0, -1, Double.NaN, 0, null, Double.NaN, 0, Double.NaN,
                Double.NaN, 0, 0, 0,
                Double.NaN, Double.NaN, null, null, Double.NaN, 0);
        // Jackson writes NaN as a string token by default; what matters is that the report still renders and parses.
        new ObjectMapper().readTree(report.toJson());
        assertTrue(report.render().contains("p50 - ms"));
    }

    @Test
    void textShowsTheFiguresAUserAsksFor() {
        String text = sample().render();
        assertTrue(text.contains("labeled by the teacher           1540"), text);
        assertTrue(text.contains("held-out agreement               0.962 (student vs teacher, on 150 held-out"), text);
        assertTrue(text.contains("0.955 on all 155 held-out queries"), text);
        assertTrue(text.contains("de 0.97"), text);
        assertTrue(text.contains("p50 4.2 ms, p99 11.8 ms"), text);
        assertTrue(text.contains("912 per request, 1404480 in total"), text);
    }
}
