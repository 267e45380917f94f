package dev.distillery.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.HttpJson;
import dev.distillery.demo.report.DemoReport;
import dev.distillery.demo.run.DistillationRun;
import dev.distillery.demo.run.LatencyProbe;
import dev.distillery.demo.run.PipelineStatus;
import dev.distillery.demo.run.UnseenCheck;

/** The report is built from what the services answer (API.md shapes), preferring the served checkpoint's figures. */
class DemoCommandTest {

    private static JsonNode json(String text) throws Exception {
        return HttpJson.mapper().readTree(text);
    }

    private static DistillationRun.Outcome outcome(JsonNode trainer, JsonNode model) {
        PipelineStatus status = PipelineStatus.of(1551, null, trainer, model);
        return new DistillationRun.Outcome(1551, status, trainer, model, 0, 0, 12_000_000_000L, 60_000_000_000L,
                75_000_000_000L, true, null);
    }

    static final String TRAINER = """
            {"examplesSeen": 1551, "trainExamples": 1400, "heldOutExamples": 151, "duplicates": 0, "rejected": 0,
             "rounds": 22, "lastLoss": 0.12, "heldOutAgreement": 0.86,
             "heldOutAgreementByLabel": {"en": 0.8, "fr": 0.5},
             "lastCheckpoint": {"version": 7, "uri": "file:///x", "heldOutAgreement": 0.899}, "device": "cpu()"}
            """;

    @Test
    void servedCheckpointMetricsWin() throws Exception {
        JsonNode model = json("""
                {"base": "tiny", "baseSha256": "ab", "task": "language-id", "labels": ["en", "fr"],
                 "checkpoint": {"version": 7, "loadedAt": "2026-11-23T14:00:00Z",
                                "metrics": {"heldOutAgreement": 0.899, "heldOutAgreement.en": 0.9,
                                            "heldOutAgreement.fr": 0.75, "heldOutExamples": 66, "loss": 0.2}},
                 "ready": true, "promptTokens": 3352}
                """);
        DemoReport report = DemoCommand.report(outcome(json(TRAINER), model), "built-in demo set",
                new LatencyProbe.Latency(9.5, 24.0, 200), UnseenCheck.Result.NONE);
        assertEquals(7, report.checkpointVersion());
        assertEquals(0.899, report.heldOutAgreement());
        assertEquals(66, report.heldOutExamples());
        assertEquals(0.86, report.trainerHeldOutAgreement());
        assertEquals(151, report.trainerHeldOutExamples());
        assertEquals(0.75, report.heldOutAgreementByLabel().get("fr"));
        assertEquals(2, report.heldOutAgreementByLabel().size());
        assertEquals(3352, report.promptTokensSavedPerRequest());
        assertEquals(12.0, report.firstQueryToCheckpointSeconds());
        assertEquals(75.0, report.firstQueryToReportSeconds());
        assertEquals("tiny", report.studentBase());
    }

    static final String MODEL_V7 = """
            {"base": "tiny", "checkpoint": {"version": 7, "metrics": {"heldOutAgreement": 0.899, "heldOutExamples": 66}},
             "ready": true, "promptTokens": 10}
            """;

    @Test
    void theServedCheckpointRescoredOnTheWholeSliceWinsOverItsManifest() throws Exception {
        String trainer = TRAINER.replace("\"heldOutAgreement\": 0.899}", """
                "heldOutAgreement": 0.899, "currentAgreement": 0.874,
                 "currentAgreementByLabel": {"en": 0.9, "fr": 0.6, "de": 1.0}, "currentHeldOutExamples": 151}""");
        DemoReport report = DemoCommand.report(outcome(json(trainer), json(MODEL_V7)), "x",
                new LatencyProbe.Latency(1, 2, 3), UnseenCheck.Result.NONE);
        assertEquals(0.874, report.heldOutAgreement());
        assertEquals(151, report.heldOutExamples());
        assertEquals(0.6, report.heldOutAgreementByLabel().get("fr"));
        assertEquals(3, report.heldOutAgreementByLabel().size());
        assertEquals(0.874, PipelineStatus.of(0, null, json(trainer), null).trainerCheckpointAgreement(),
                "the launcher's target decision uses the re-scored figure too");
    }

    @Test
    void aRescoreOfAnotherVersionThanTheServedOneIsNotUsed() throws Exception {
        String trainer = TRAINER.replace("\"version\": 7", "\"version\": 8").replace("\"heldOutAgreement\": 0.899}",
                "\"heldOutAgreement\": 0.95, \"currentAgreement\": 0.97, \"currentHeldOutExamples\": 151}");
        DemoReport report = DemoCommand.report(outcome(json(trainer), json(MODEL_V7)), "x",
                new LatencyProbe.Latency(1, 2, 3), UnseenCheck.Result.NONE);
        assertEquals(0.899, report.heldOutAgreement(), "the served v7's own manifest, not v8's re-score");
        assertEquals(66, report.heldOutExamples());
    }

    @Test
    void fallsBackToTheTrainerWhenTheCheckpointCarriesNoMetrics() throws Exception {
        JsonNode model = json("""
                {"base": "tiny", "checkpoint": {"version": 7, "metrics": {}}, "ready": true, "promptTokens": 10}
                """);
        DemoReport report = DemoCommand.report(outcome(json(TRAINER), model), "x", new LatencyProbe.Latency(1, 2, 3), UnseenCheck.Result.NONE);
        assertEquals(0.899, report.heldOutAgreement());
        assertEquals(0.5, report.heldOutAgreementByLabel().get("fr"));
        assertEquals(10 * report.labeled(), report.promptTokensSavedTotal());
    }

    @Test
    void curlExampleIsPasteable() {
        String curl = DemoCommand.curlExample("http://127.0.0.1:8080");
        assertTrue(curl.contains("curl -s -X POST http://127.0.0.1:8080/v1/classify"), curl);
        assertTrue(curl.contains("-d '{\"text\": "), curl);
    }

    @Test
    void lengthBucketsAndUnseenFiguresReachTheReportInOrder() throws Exception {
        JsonNode trainer = json("""
                {"examplesSeen": 10, "heldOutAgreement": 0.9, "lastCheckpoint": null,
                 "heldOutAgreementByLength": {"<40": 0.95, "40-80": 0.9, "200+": 0.8},
                 "heldOutExamplesByLength": {"<40": 40, "40-80": 100, "200+": 25}}
                """);
        UnseenCheck.Result unseen = new UnseenCheck.Result(0.75, 4, java.util.Map.of("de", 1.0, "fr", 0.5),
                java.util.Map.of("<40", 0.75));
        DemoReport report = DemoCommand.report(outcome(trainer, null), "x", new LatencyProbe.Latency(1, 2, 3), unseen);
        assertEquals(java.util.List.of("<40", "40-80", "200+"),
                java.util.List.copyOf(report.heldOutAgreementByLength().keySet()), "shortest first");
        assertEquals(0.8, report.heldOutAgreementByLength().get("200+"));
        assertEquals(25, report.heldOutExamplesByLength().get("200+"));
        assertEquals(0.5, report.unseenAgreementByLabel().get("fr"));
        assertEquals(0.75, report.unseenAgreementByLength().get("<40"));
        String text = report.render();
        assertTrue(text.contains("200+ 0.800") && text.contains("fr 0.500"), text);
        JsonNode written = json(report.toJson());
        assertEquals(0.8, written.get("heldOutAgreementByLength").get("200+").asDouble());
        assertEquals(0.5, written.get("unseenAgreementByLabel").get("fr").asDouble());
    }
}
