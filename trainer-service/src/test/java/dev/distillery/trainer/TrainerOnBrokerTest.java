package dev.distillery.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.checkpoint.CheckpointManifest;
import dev.distillery.checkpoint.CheckpointStore;
import dev.distillery.integrity.Sha256;
import dev.distillery.kafka.Topics;
import dev.distillery.messages.CheckpointAnnouncement;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Rejected;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.testing.KafkaBrokerResource;
import dev.distillery.trainer.training.HeldOutSplit;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The trainer on a real broker with the real student: it learns the rules teacher's labels on the demo query set,
 * announces a checkpoint, rejects invalid records, counts duplicates once, exports the dataset, and its gate refuses
 * a worse candidate. The methods share one application and run in order.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(TempCheckpointsResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerOnBrokerTest {

    /**
     * ~30 rounds of 8 steps plus an evaluation each (the held-out queries and the longer texts joined from them):
     * about a minute on an idle 2-core machine, over 3 minutes at load average 25 from other builds.
     */
    private static final Duration TRAINING_DEADLINE = Duration.ofMinutes(5);
    private static final HeldOutSplit SPLIT = new HeldOutSplit(10);
    /**
     * The first 2,000 demo queries in a fixed mixed order, as users would send them (the file is grouped by language):
     * enough for ~30 rounds, and the test's cost does not grow with the demo set.
     */
    private static final List<String> QUERIES = shuffled(RulesTeacher.demoQueries()).subList(0, 2000);
    /** Every this many queries is sent as a student's deferral. */
    private static final int DEFERRAL_EVERY = 10;
    /** Invalid records and the reason each must be rejected with. */
    private static final Map<String, String> INVALID = Map.of(
            "bad-json", "malformed-json",
            "bad-empty", "empty-text",
            "bad-label", "label-not-in-set",
            "bad-prompt", "task-mismatch");
    private static final int DUPLICATES = 3;

    private static List<String> shuffled(List<String> queries) {
        List<String> copy = new ArrayList<>(queries);
        java.util.Collections.shuffle(copy, new java.util.Random(11));
        return List.copyOf(copy);
    }

    private static long distinctValid() {
        return QUERIES.size();
    }

    private static JsonNode status() {
        return given().get("/v1/trainer").then().statusCode(200).extract().as(JsonNode.class);
    }

    private static JsonNode awaitStatus(Predicate<JsonNode> done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode s = status();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            s = status();
        }
        assertTrue(done.test(s), what + "; status: " + s);
        return s;
    }

    private static boolean allTrained(JsonNode s) {
        return s.get("pendingExamples").asLong() == 0
                && s.get("trainedExamples").asLong() == s.get("trainExamples").asLong();
    }

    @Test
    @Order(1)
    void learnsTheRulesTeachersLabelsToHighHeldOutAgreementAndAnnouncesACheckpoint() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (int i = 0; i < QUERIES.size(); i++) {
                String id = "demo-" + i;
                LabeledExample example = RulesTeacher.example(id, QUERIES.get(i));
                if (i % DEFERRAL_EVERY == 0) {
                    example = example.withOrigin(LabeledExample.ORIGIN_DEFERRAL); // as a student's deferral arrives
                }
                producer.send(new ProducerRecord<>(Topics.LABELED, id, RulesTeacher.encode(example)));
                if (i == 100) {
                    sendInvalidAndDuplicates(producer);
                }
            }
            producer.flush();
        }
        JsonNode s = awaitStatus(st -> st.get("examplesSeen").asLong() == distinctValid() && allTrained(st),
                TRAINING_DEADLINE, "every valid example taken and trained");
        assertEquals(distinctValid(), s.get("trainExamples").asLong() + s.get("heldOutExamples").asLong());

        s = given().post("/v1/trainer/checkpoint").then().statusCode(200).extract().as(JsonNode.class);
        JsonNode checkpoint = s.get("lastCheckpoint");
        assertFalse(checkpoint.isNull(), "a checkpoint exists: " + s);
        double agreement = checkpoint.get("heldOutAgreement").asDouble();
        System.out.printf("held-out agreement %.3f on %d examples after %d rounds; per label %s%n",
                s.get("heldOutAgreement").asDouble(), s.get("heldOutExamples").asLong(), s.get("rounds").asLong(),
                s.get("heldOutAgreementByLabel"));
        assertTrue(agreement >= 0.8, "held-out agreement of the published checkpoint: " + agreement);
        assertTrue(s.get("heldOutAgreementByLabel").has("en"));
        // By length too: the short queries, and the longer texts joined from them (HeldOutJoiner).
        assertTrue(s.get("heldOutAgreementByLength").has("<40") && s.get("heldOutAgreementByLength").has("120-200"),
                s.toString());
        assertTrue(s.get("heldOutExamplesByLength").get("<40").asInt() > 0, s.toString());
        // The checkpoint re-scored on the whole held-out slice: every example, per label too.
        assertEquals(s.get("heldOutExamples").asLong(), checkpoint.get("currentHeldOutExamples").asLong(), checkpoint.toString());
        double current = checkpoint.get("currentAgreement").asDouble();
        assertTrue(current > 0.5 && current <= 1.0, checkpoint.toString());
        assertTrue(checkpoint.get("currentAgreementByLabel").has("en"), checkpoint.toString());
        // ... and recalibrated on it: the coverage the gate's coverage rule compares (0 while too few for a bound).
        double coverage = checkpoint.get("currentCascadeCoverage").asDouble(-1);
        assertTrue(checkpoint.get("currentCascadeCoverage").isNumber() && coverage >= 0 && coverage <= 1,
                checkpoint.toString());

        long version = checkpoint.get("version").asLong();
        List<ConsumerRecord<String, byte[]>> announced = kafka.readUntil(Topics.CHECKPOINTS,
                records -> records.stream().anyMatch(r -> announcement(r).version() == version), Duration.ofSeconds(30));
        CheckpointAnnouncement a = announced.stream().map(TrainerOnBrokerTest::announcement)
                .filter(x -> x.version() == version).findFirst().orElseThrow();
        assertEquals("language-id", announced.get(announced.size() - 1).key());
        Path dir = Path.of(java.net.URI.create(a.uri()));
        assertEquals(checkpoint.get("uri").asText(), a.uri());
        assertEquals(Sha256.hex(dir.resolve(CheckpointManifest.ADAPTER_FILE)), a.sha256());
        assertEquals(Files.size(dir.resolve(CheckpointManifest.ADAPTER_FILE)), a.sizeBytes());
        assertEquals(RulesTeacher.TASK.labels(), a.labels());
        assertEquals(RulesTeacher.TASK.promptSha256(), a.promptSha256());
        assertEquals("tiny", a.baseModel().id());
        assertEquals(agreement, a.metrics().get("heldOutAgreement"), 1e-9);
        assertCascade(s, a.metrics());
        CheckpointManifest manifest = new CheckpointStore(TempCheckpointsResource.dir(), 5).open(dir, a.sha256()).manifest();
        long covered = manifest.offsets().get(Topics.LABELED + "-0");
        assertTrue(covered > 0 && covered <= QUERIES.size() + INVALID.size() + DUPLICATES, "covered offsets " + covered);
        assertEquals(covered, committedOffset(), "offsets are committed exactly as far as the newest checkpoint covers");
    }

    /** Deferral examples are counted and trained; each checkpoint carries its calibration for every score. */
    private static void assertCascade(JsonNode status, Map<String, Double> metrics) {
        JsonNode cascade = status.get("cascade");
        long deferrals = (QUERIES.size() + DEFERRAL_EVERY - 1) / DEFERRAL_EVERY;
        assertEquals(deferrals, cascade.get("deferralsSeen").asLong(), cascade.toString());
        assertEquals("served", cascade.get("agreementOf").asText(), "the default bounds every served answer");
        long trained = cascade.get("trainedDeferrals").asLong();
        assertTrue(trained > deferrals / 2 && trained <= deferrals, cascade.toString()); // the held-out ones are not
        // The checkpoint counts what it was trained on; the status may already count steps taken after it.
        double inCheckpoint = metrics.get("trainedDeferrals");
        assertTrue(inCheckpoint > 0 && inCheckpoint <= trained, metrics + " vs " + cascade);
        assertEquals(0.99, cascade.get("targetAgreement").asDouble(), 1e-12);
        assertEquals(268, cascade.get("minimumExamples").asInt());
        assertEquals(dev.distillery.cascade.ConfidenceScore.values().length, cascade.get("checkpoint").size(),
                cascade.toString());
        // The checkpoint's own held-out slice (the gate may have refused later rounds, so it can be smaller than now).
        long heldOut = metrics.get("heldOutExamples").longValue();
        assertEquals((double) heldOut, metrics.get("cascadeExamples"), 1e-9);
        assertTrue(metrics.containsKey("cascadeCoverage.margin") && metrics.containsKey("cascadeCoverage.probability")
                && metrics.containsKey("cascadeCoverage.log-odds"), metrics.toString());
        if (heldOut < 268) { // too few held-out examples for any lower bound to reach 0.99: everything defers
            assertFalse(metrics.containsKey("cascadeThreshold.margin"), metrics.toString());
            assertEquals(0.0, metrics.get("cascadeCoverage.margin"));
            assertTrue(cascade.get("checkpoint").get(0).get("threshold").isNull(), cascade.toString());
        } else if (metrics.containsKey("cascadeThreshold.margin")) {
            assertTrue(metrics.get("cascadeLowerBound.margin") >= 0.99, metrics.toString());
        }
    }

    private static long committedOffset() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                KafkaBrokerResource.kafka().clientSettings())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long offset = -1;
            while (System.nanoTime() < deadline) {
                var o = admin.listConsumerGroupOffsets("distillery-trainer-language-id").partitionsToOffsetAndMetadata()
                        .get().get(new org.apache.kafka.common.TopicPartition(Topics.LABELED, 0));
                offset = o == null ? -1 : o.offset();
                JsonNode s = status();
                if (offset >= 0 && !s.get("lastCheckpoint").isNull()) {
                    return offset;
                }
                Thread.sleep(200);
            }
            return offset;
        }
    }

    private static void sendInvalidAndDuplicates(KafkaProducer<String, byte[]> producer) {
        producer.send(new ProducerRecord<>(Topics.LABELED, "bad-json", "{\"id\": \"bad-json\", \"text\": ".getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(Topics.LABELED, "bad-empty", RulesTeacher.encode(RulesTeacher.example("bad-empty", " ", "en"))));
        producer.send(new ProducerRecord<>(Topics.LABELED, "bad-label", RulesTeacher.encode(RulesTeacher.example("bad-label", "Habari ya asubuhi", "sw"))));
        LabeledExample otherPrompt = new LabeledExample(1, "bad-prompt", "Hello world", "Final Answer: en", "en",
                new LabeledExample.TeacherInfo("openai", "gpt", Sha256.hex("another prompt")), LabeledExample.Usage.NONE,
                1, java.time.Instant.now(), null);
        producer.send(new ProducerRecord<>(Topics.LABELED, "bad-prompt", RulesTeacher.encode(otherPrompt)));
        for (int i = 0; i < DUPLICATES; i++) {
            String id = "demo-" + i;
            producer.send(new ProducerRecord<>(Topics.LABELED, id, RulesTeacher.encode(RulesTeacher.example(id, QUERIES.get(i)))));
        }
    }

    private static CheckpointAnnouncement announcement(ConsumerRecord<String, byte[]> record) {
        try {
            return MessageCodec.decode(record.value(), CheckpointAnnouncement.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(2)
    void rejectsInvalidRecordsWithTheirReasonAndCountsDuplicatesOnce() {
        JsonNode s = status();
        assertEquals(INVALID.size(), s.get("rejected").asLong());
        assertEquals(DUPLICATES, s.get("duplicates").asLong());
        List<ConsumerRecord<String, byte[]>> records = KafkaBrokerResource.kafka().readUntil(Topics.REJECTED,
                r -> r.size() >= INVALID.size(), Duration.ofSeconds(30));
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                Rejected r = MessageCodec.decode(record.value(), Rejected.class);
                assertEquals("trainer", r.stage());
                reasons.put(r.id(), r.reason());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(INVALID, reasons);
    }

    @Test
    @Order(3)
    void datasetStreamsEveryDistinctValidExampleInChatFormatWithoutThePrompt() throws Exception {
        Response response = given().get("/v1/dataset");
        response.then().statusCode(200).contentType(startsWith("application/x-ndjson"));
        List<String> lines = response.asString().lines().toList();
        assertEquals(distinctValid(), lines.size());
        Set<String> users = new HashSet<>();
        String promptStart = RulesTeacher.TASK.prompt().strip().substring(0, 40);
        for (String line : lines) {
            JsonNode messages = MessageCodec.mapper().readTree(line).get("messages");
            assertEquals(2, messages.size());
            assertEquals("user", messages.get(0).get("role").asText());
            assertEquals("assistant", messages.get(1).get("role").asText());
            String user = messages.get(0).get("content").asText();
            assertFalse(user.contains(promptStart), "the prompt never appears in the dataset");
            assertEquals(RulesTeacher.TASK.formatAnswer(RulesTeacher.label(user)), messages.get(1).get("content").asText());
            users.add(user);
        }
        assertEquals(new HashSet<>(QUERIES), users);

        List<String> heldOutLines = given().queryParam("split", "held-out").get("/v1/dataset").asString().lines().toList();
        assertEquals(status().get("heldOutExamples").asLong(), heldOutLines.size());
        assertTrue(heldOutLines.size() > 0 && heldOutLines.size() < QUERIES.size() / 5, "about 10% held out");
        assertEquals(5, given().queryParam("limit", 5).get("/v1/dataset").asString().lines().count());
        given().queryParam("split", "test").get("/v1/dataset").then().statusCode(400)
                .body("status", equalTo(400)).body("error", equalTo("invalid-request"));
        given().queryParam("limit", "many").get("/v1/dataset").then().statusCode(400).body("error", equalTo("invalid-request"));
    }

    @Test
    @Order(4)
    void theGateRefusesACandidateThatAgreesLessWithTheTeacher() throws Exception {
        // Settled first: while earlier examples still reach the held-out slice, the served checkpoint's figure moves
        // with the slice, and the gate compares candidates with it on the slice as it is then.
        JsonNode before = awaitStatus(TrainerOnBrokerTest::allTrained, TRAINING_DEADLINE, "earlier examples trained");
        long version = before.get("lastCheckpoint").get("version").asLong();
        double published = before.get("lastCheckpoint").get("currentAgreement").asDouble();
        // A teacher gone wrong: the held-out texts again, under new training-side ids, with another label.
        List<String> labels = RulesTeacher.TASK.labels();
        List<ProducerRecord<String, byte[]>> poison = new ArrayList<>();
        for (int i = 0; i < QUERIES.size() && poison.size() < 256; i++) {
            if (!SPLIT.isHeldOut("demo-" + i)) {
                continue;
            }
            String text = QUERIES.get(i);
            String wrong = labels.get((labels.indexOf(RulesTeacher.label(text)) + 1) % labels.size());
            for (int copy = 0; poison.size() < 256 && copy < 3; copy++) {
                String id = "poison-" + i + "-" + copy;
                if (!SPLIT.isHeldOut(id)) {
                    poison.add(new ProducerRecord<>(Topics.LABELED, id, RulesTeacher.encode(RulesTeacher.example(id, text, wrong))));
                }
            }
        }
        try (KafkaProducer<String, byte[]> producer = KafkaBrokerResource.kafka().producer()) {
            poison.forEach(producer::send);
        }
        long expectedTrain = before.get("trainExamples").asLong() + poison.size();
        JsonNode after = awaitStatus(st -> st.get("trainExamples").asLong() == expectedTrain && allTrained(st),
                TRAINING_DEADLINE, "the wrong labels trained");
        // Consolidation rounds (replay only) may run once the poison is trained and may win back the agreement; what
        // the gate guarantees is that no checkpoint agreeing less than the published one is ever published.
        assertTrue(after.get("lastCheckpoint").get("heldOutAgreement").asDouble() >= published - 1e-9,
                "no worse checkpoint published: " + after);

        JsonNode forced = given().post("/v1/trainer/checkpoint").then().statusCode(200).extract().as(JsonNode.class);
        assertTrue(forced.get("lastCheckpoint").get("heldOutAgreement").asDouble() >= published - 1e-9,
                "a forced checkpoint never regresses: " + forced);
        List<ConsumerRecord<String, byte[]>> announced = KafkaBrokerResource.kafka().readUntil(Topics.CHECKPOINTS,
                r -> false, Duration.ofSeconds(1));
        for (ConsumerRecord<String, byte[]> r : announced) {
            CheckpointAnnouncement a = announcement(r);
            if (a.version() > version) {
                assertTrue(a.metrics().get("heldOutAgreement") >= published - 1e-9, "announced v" + a.version()
                        + " agrees less than v" + version + ": " + a.metrics());
            }
        }
    }

    @Test
    @Order(5)
    void healthMetricsOpenApiAndErrorsFollowTheConventions() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("distillery_trainer_examples_total", "distillery_trainer_step_seconds_bucket",
                // The raw Kafka clients' own metrics (KafkaClients binds them).
                "kafka_consumer_fetch_manager_records_lag_max", "kafka_producer_record_send_total",
                "distillery_trainer_loss", "distillery_trainer_heldout_agreement",
                "distillery_trainer_examples_per_second")) {
            assertTrue(metrics.contains(name), name + " in /q/metrics");
        }
        given().get("/q/openapi").then().statusCode(200).body(org.hamcrest.Matchers.containsString("/v1/trainer/checkpoint"));
        given().get("/v1/nothing-here").then().statusCode(404).body("error", equalTo("not-found"));
        given().put("/v1/trainer").then().statusCode(405).body("status", equalTo(405));
        assertNotNull(status().get("device").asText());
    }
}
