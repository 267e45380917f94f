package dev.distillery.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.Query;
import dev.distillery.messages.RecordId;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.task.TaskSpec;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The rules teacher end to end through a real broker: queries in, labeled examples and rejections out. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TeacherPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TaskSpec task = TaskSpec.languageId();

    @Test
    void plainTextAndJsonQueriesComeOutLabeledForEveryLabel() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        Map<String, String> expected = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (Map.Entry<String, String> e : Fixtures.SENTENCES.entrySet()) {
                String plainId = "plain-" + e.getKey() + "-" + UUID.randomUUID();
                producer.send(new ProducerRecord<>(Topics.QUERIES, plainId, e.getValue().getBytes(StandardCharsets.UTF_8)));
                String jsonId = "json-" + e.getKey() + "-" + UUID.randomUUID();
                // The JSON id wins over the record key.
                producer.send(new ProducerRecord<>(Topics.QUERIES, "some-other-key",
                        MessageCodec.encode(Query.of(jsonId, e.getValue(), Instant.now()))));
                expected.put(plainId, e.getKey());
                expected.put(jsonId, e.getKey());
                texts.put(plainId, e.getValue());
                texts.put(jsonId, e.getValue());
            }
            producer.flush();
        }
        Map<String, LabeledExample> out = Fixtures.labeled(kafka, Topics.LABELED, expected.keySet(), WAIT);
        assertEquals(expected.keySet(), out.keySet(), "every query is labeled");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            LabeledExample example = out.get(e.getKey());
            assertEquals(e.getValue(), example.label(), () -> "label of " + example.text());
            assertEquals("Final Answer: " + e.getValue(), example.response());
            assertEquals(texts.get(e.getKey()), example.text());
            assertEquals("rules", example.teacher().kind());
            assertEquals(task.promptSha256(), example.teacher().promptSha256());
            assertNotNull(example.labeledAt());
        }
        assertEquals(13, out.values().stream().map(LabeledExample::label).distinct().count(), "all 13 labels seen");
    }

    @Test
    void recordWithoutKeyOrIdGetsAGeneratedId() {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        String marker = "Unkeyed query number " + UUID.randomUUID() + " is written in plain English words";
        kafka.send(Topics.QUERIES, null, marker.getBytes(StandardCharsets.UTF_8));
        var records = kafka.readUntil(Topics.LABELED, rs -> rs.stream().anyMatch(r -> new String(r.value(),
                StandardCharsets.UTF_8).contains(marker)), WAIT);
        var record = records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("unkeyed query never labeled"));
        assertNotNull(record.key());
        assertFalse(record.key().isBlank());
    }

    @Test
    void everyBadInputIsRejectedWithItsReasonAndGoodQueriesStillFlow() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        String run = UUID.randomUUID().toString();
        Map<String, byte[]> bad = new LinkedHashMap<>();
        Map<String, RejectReason> reasons = new HashMap<>();
        bad.put("empty-" + run, new byte[0]);
        reasons.put("empty-" + run, RejectReason.EMPTY_TEXT);
        bad.put("blank-" + run, " \t\n ".getBytes(StandardCharsets.UTF_8));
        reasons.put("blank-" + run, RejectReason.EMPTY_TEXT);
        bad.put("json-blank-" + run, "{\"text\": \"   \"}".getBytes(StandardCharsets.UTF_8));
        reasons.put("json-blank-" + run, RejectReason.EMPTY_TEXT);
        bad.put("long-" + run, "a".repeat(4001).getBytes(StandardCharsets.UTF_8));
        reasons.put("long-" + run, RejectReason.TEXT_TOO_LONG);
        bad.put("utf8-" + run, new byte[] {'h', 'i', (byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        reasons.put("utf8-" + run, RejectReason.INVALID_UTF8);
        bad.put("json-" + run, "{\"text\": \"unterminated".getBytes(StandardCharsets.UTF_8));
        reasons.put("json-" + run, RejectReason.MALFORMED_JSON);
        bad.put("json-type-" + run, "{\"text\": 42}".getBytes(StandardCharsets.UTF_8));
        reasons.put("json-type-" + run, RejectReason.MALFORMED_JSON);
        bad.put("json-notext-" + run, "{\"query\": \"hello there my friend\"}".getBytes(StandardCharsets.UTF_8));
        reasons.put("json-notext-" + run, RejectReason.MALFORMED_JSON);
        bad.put("schema-" + run, "{\"schema\": 99, \"text\": \"from the future\"}".getBytes(StandardCharsets.UTF_8));
        reasons.put("schema-" + run, RejectReason.UNSUPPORTED_SCHEMA);
        byte[] huge = "é".repeat(400_000).getBytes(StandardCharsets.UTF_8); // 800 KB, would not fit once escaped
        bad.put("huge-" + run, huge);
        reasons.put("huge-" + run, RejectReason.TEXT_TOO_LONG);
        // Poison records: ids far over the limit (JSON id and record key), rejected under their bounded form.
        String hugeJsonId = "json-id-" + run + "-" + "x".repeat(600_000);
        bad.put(RecordId.bounded(hugeJsonId), MessageCodec.encode(Query.of(hugeJsonId, "a good text", Instant.now())));
        reasons.put(RecordId.bounded(hugeJsonId), RejectReason.ID_TOO_LONG);
        String surrogate = "surrogate-" + run;
        bad.put(surrogate, "{\"text\": \"\\ud800\"}".getBytes(StandardCharsets.UTF_8));
        reasons.put(surrogate, RejectReason.INVALID_UNICODE);
        String duplicateKeys = "duplicate-keys-" + run;
        bad.put(duplicateKeys, "{\"text\": \"a\", \"text\": \"b\"}".getBytes(StandardCharsets.UTF_8));
        reasons.put(duplicateKeys, RejectReason.MALFORMED_JSON);
        String bom = "bom-" + run;
        bad.put(bom, "\uFEFF{\"text\": \"hello there\"}".getBytes(StandardCharsets.UTF_8));
        reasons.put(bom, RejectReason.FORBIDDEN_CHARACTER);
        String nul = "nul-" + run;
        bad.put(nul, "hello\u0000there".getBytes(StandardCharsets.UTF_8));
        reasons.put(nul, RejectReason.FORBIDDEN_CHARACTER);
        String goodId = "good-after-bad-" + run;
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                // Same partition as the good query, so it really comes after them.
                producer.send(new ProducerRecord<>(Topics.QUERIES, 0, e.getKey(), e.getValue())).get(30, TimeUnit.SECONDS);
            }
            String hugeKey = "key-" + run + "-" + "k".repeat(600_000);
            producer.send(new ProducerRecord<>(Topics.QUERIES, 0, hugeKey,
                    "a text keyed by a 600 KB key".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            bad.put(RecordId.bounded(hugeKey), "a text keyed by a 600 KB key".getBytes(StandardCharsets.UTF_8));
            reasons.put(RecordId.bounded(hugeKey), RejectReason.ID_TOO_LONG);
            producer.send(new ProducerRecord<>(Topics.QUERIES, 0, goodId,
                    "The consumer keeps going after bad records.".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        Map<String, Rejected> rejected = Fixtures.rejected(kafka, Topics.REJECTED, bad.keySet(), WAIT);
        assertEquals(bad.keySet(), rejected.keySet(), "every bad record is rejected");
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Rejected r = rejected.get(e.getKey());
            assertEquals(reasons.get(e.getKey()).code(), r.reason(), () -> e.getKey() + ": " + r.detail());
            assertEquals("teacher", r.stage());
            if (!e.getKey().startsWith("huge-") && !e.getKey().startsWith("json-id-")) {
                assertArrayEquals(e.getValue(), r.payloadBytes(), "the original bytes are kept");
            }
            assertNotNull(r.detail());
        }
        Rejected truncated = rejected.get("huge-" + run);
        assertTrue(truncated.detail().contains("payload truncated"), truncated.detail());
        assertEquals(Rejected.MAX_PAYLOAD_BYTES, truncated.payloadBytes().length);
        Rejected invalid = rejected.get("utf8-" + run);
        assertEquals(Rejected.BASE64, invalid.encoding());
        assertArrayEquals(bad.get("utf8-" + run), Base64.getDecoder().decode(invalid.payload()));

        Map<String, LabeledExample> good = Fixtures.labeled(kafka, Topics.LABELED, java.util.Set.of(goodId), WAIT);
        assertEquals("en", good.get(goodId).label());
        assertTrue(Fixtures.labeled(kafka, Topics.LABELED, bad.keySet(), Duration.ofMillis(500)).isEmpty(),
                "no bad record is labeled");
    }
}
