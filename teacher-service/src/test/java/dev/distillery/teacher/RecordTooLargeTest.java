package dev.distillery.teacher;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A labeled record the broker refuses as too large (over the topic's {@code max.message.bytes}) becomes a
 * {@code record-too-large} rejection and consumption goes on, with no restart. Own topics, so nothing here meets
 * another test's records.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(RecordTooLargeTest.Profile.class)
class RecordTooLargeTest {

    static final String QUERIES = "distill.queries.too-large";
    static final String LABELED = "distill.labeled.too-large";
    static final String REJECTED = "distill.rejected.too-large";
    /** Small enough that a labeled example of a ~1,000-character query is over it, large enough for short ones. */
    static final int MAX_MESSAGE_BYTES = 1500;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = Fixtures.ownTopicsWithShortSends("too-large");
            for (String channel : List.of("labeled", "rejected")) {
                // Batches must fit under the topic's small limit: the producer splits a refused batch into batches of
                // batch.size (16 KB by default), so a limit below that would have it split the same batch forever.
                c.put("mp.messaging.outgoing." + channel + ".batch.size", String.valueOf(MAX_MESSAGE_BYTES - 500));
            }
            return c;
        }
    }

    @BeforeAll
    static void topics() {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        kafka.createTopic(LABELED, 1, Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
        kafka.createTopic(REJECTED, 1, Map.of());
        kafka.createTopic(QUERIES, 2, Map.of());
    }

    @Test
    void aLabeledRecordTheBrokerRefusesBecomesARejectionAndConsumptionGoesOn() throws Exception {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        String bigId = "too-large-for-the-topic";
        String bigText = "This sentence is written in plain English and repeated. ".repeat(30); // ~1,700 bytes
        String nextId = "after-the-large-one";
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(QUERIES, 0, bigId, bigText.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(QUERIES, 0, nextId,
                    Fixtures.SENTENCES.get("de").getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        Map<String, Rejected> rejected = Fixtures.rejected(kafka, REJECTED, Set.of(bigId), Duration.ofSeconds(60));
        assertEquals(RejectReason.RECORD_TOO_LARGE.code(), rejected.get(bigId).reason(), () -> rejected.toString());
        Map<String, LabeledExample> labeled = Fixtures.labeled(kafka, LABELED, Set.of(nextId), Duration.ofSeconds(60));
        assertEquals("de", labeled.get(nextId).label());
        given().get("/q/health/live").then().statusCode(200);
    }
}
