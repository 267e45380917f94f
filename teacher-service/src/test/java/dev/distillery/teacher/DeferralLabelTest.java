package dev.distillery.teacher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * POST /v1/label with publish=true (a student's deferral) puts the example on distill.labeled marked origin=deferral;
 * without it the call stays free of side effects.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class DeferralLabelTest {

    @Test
    void publishTruePublishesADeferralAndPlainLabelPublishesNothing() {
        // Sentences no other test sends (the broker is shared by the test classes of this application).
        String quiet = "Le petit chat dort tranquillement sur le canapé du salon.";
        String deferred = "Der kleine Hund schläft ruhig auf dem Sofa im Wohnzimmer.";
        given().contentType(ContentType.JSON).body(Map.of("text", quiet)).post("/v1/label")
                .then().statusCode(200).body("published", nullValue());
        String label = given().contentType(ContentType.JSON).body(Map.of("text", deferred, "publish", true))
                .post("/v1/label").then().statusCode(200).body("published", equalTo(true)).extract().path("label");

        List<ConsumerRecord<String, byte[]>> records = KafkaBrokerResource.kafka().readUntil(Topics.LABELED,
                r -> r.stream().anyMatch(rec -> decode(rec).text().equals(deferred)), Duration.ofSeconds(30));
        List<LabeledExample> examples = records.stream().map(DeferralLabelTest::decode).toList();
        LabeledExample example = examples.stream().filter(e -> e.text().equals(deferred)).findFirst()
                .orElseThrow(() -> new AssertionError("the deferral never reached distill.labeled"));
        assertEquals("deferral", example.origin());
        assertEquals(label, example.label());
        assertEquals("de", label);
        assertEquals(example.id(), records.stream().filter(r -> decode(r).text().equals(deferred)).findFirst()
                .orElseThrow().key());
        // Sent before the deferral on the same producer path would have been: had it been published, it would be here.
        assertTrue(examples.stream().noneMatch(e -> e.text().equals(quiet)), "publish absent must publish nothing");
    }

    @Test
    void publishMustBeABoolean() {
        given().contentType(ContentType.JSON).body("{\"text\":\"Hallo\",\"publish\":\"yes\"}").post("/v1/label")
                .then().statusCode(400).body("error", equalTo("invalid-request"));
    }

    private static LabeledExample decode(ConsumerRecord<String, byte[]> record) {
        try {
            return MessageCodec.decode(record.value(), LabeledExample.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
