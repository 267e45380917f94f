package dev.distillery.teacher.llm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.messages.RejectReason;
import dev.distillery.messages.Rejected;
import dev.distillery.task.language.LanguageIdRules;
import dev.distillery.teacher.llm.ChatCompletionsStub.Reply;
import dev.distillery.testing.EmbeddedKafka;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service with {@code distillery.teacher.kind=openai} against a stub of the chat-completions API, through a real
 * broker: answers become labeled examples with token usage; unparseable answers, labels outside the set and a
 * teacher that keeps failing become rejections with their reasons.
 */
@QuarkusTest
@TestProfile(OpenAiPipelineStubTest.StubProfile.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class OpenAiPipelineStubTest {

    public static class StubProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "distillery.teacher.kind", "openai",
                    "distillery.teacher.openai.model", "stub-model",
                    "distillery.teacher.openai.api-key", "sk-stub",
                    "distillery.teacher.openai.max-retries", "2",
                    "distillery.teacher.openai.timeout", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StubResource.class));
        }
    }

    /** Starts the stub before the application, so its URL can be configured. */
    public static class StubResource implements QuarkusTestResourceLifecycleManager {
        static ChatCompletionsStub stub;
        private static final LanguageIdRules RULES = new LanguageIdRules();

        @Override
        public Map<String, String> start() {
            try {
                stub = new ChatCompletionsStub((text, attempt) -> {
                    if (text.startsWith("[unparseable]")) {
                        return Reply.answer("Hmm, it could be French, or maybe not.");
                    }
                    if (text.startsWith("[outside]")) {
                        return Reply.answer("Final Answer: pt");
                    }
                    if (text.startsWith("[down]")) {
                        return Reply.status(503, Map.of("retry-after-ms", "5"));
                    }
                    if (text.equals("Where is the train station, please?")) {
                        return Reply.withLogprobs("Final Answer:", " en", Map.of(" en", 0.9, " ot", 0.1));
                    }
                    if (text.startsWith("[busy]") && attempt == 1) {
                        return Reply.status(429, Map.of("Retry-After", "0"));
                    }
                    return Reply.answer("Final Answer: " + RULES.classify(text));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("distillery.teacher.openai.base-url", stub.baseUrl());
        }

        @Override
        public void stop() {
            if (stub != null) {
                stub.close();
            }
        }
    }

    @Test
    void answersAreLabeledAndBadAnswersRejectedWithTheirReasons() {
        EmbeddedKafka kafka = KafkaBrokerResource.kafka();
        String run = UUID.randomUUID().toString();
        Map<String, String> good = new HashMap<>();
        good.put("en-" + run, "Where is the train station, please?");
        good.put("zh-" + run, "我昨天晚上在公园里散步了很久。");
        good.put("busy-" + run, "[busy] Guten Morgen, ich habe heute keine Zeit.");
        Map<String, String> bad = Map.of(
                "unparseable-" + run, "[unparseable] Bonjour tout le monde",
                "outside-" + run, "[outside] Eu não sei o que fazer",
                "down-" + run, "[down] The teacher is unavailable for this one");
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            good.forEach((id, text) -> producer.send(new ProducerRecord<>(Topics.QUERIES, id, bytes(text))));
            bad.forEach((id, text) -> producer.send(new ProducerRecord<>(Topics.QUERIES, id, bytes(text))));
            producer.flush();
        }
        Map<String, LabeledExample> labeled = read(kafka, Topics.LABELED, good.keySet(), LabeledExample.class);
        assertEquals(good.keySet(), labeled.keySet());
        assertEquals("en", labeled.get("en-" + run).label());
        assertEquals("zh", labeled.get("zh-" + run).label());
        assertEquals("de", labeled.get("busy-" + run).label(), "429 then success");
        LabeledExample en = labeled.get("en-" + run);
        assertEquals("openai", en.teacher().kind());
        assertEquals("stub-model", en.teacher().model());
        assertEquals(120, en.usage().promptTokens());
        assertEquals(4, en.usage().completionTokens());
        assertEquals(0.9, en.distribution().get("en"), 1e-9, "the teacher's log-probabilities, published as soft targets");
        assertEquals(0.1, en.distribution().get("ot"), 1e-9);
        assertEquals(null, labeled.get("zh-" + run).distribution(), "no logprobs from the server: no distribution");

        Map<String, Rejected> rejected = read(kafka, Topics.REJECTED, bad.keySet(), Rejected.class);
        assertEquals(bad.keySet(), rejected.keySet());
        Rejected unparseable = rejected.get("unparseable-" + run);
        assertEquals(RejectReason.ANSWER_UNPARSEABLE.code(), unparseable.reason());
        assertTrue(unparseable.detail().contains("Hmm, it could be French, or maybe not."), "raw response kept");
        assertEquals(bad.get("unparseable-" + run), unparseable.payload());
        assertEquals(RejectReason.LABEL_NOT_IN_SET.code(), rejected.get("outside-" + run).reason());
        assertTrue(rejected.get("outside-" + run).detail().contains("Final Answer: pt"));
        assertEquals(RejectReason.TEACHER_FAILED.code(), rejected.get("down-" + run).reason());
        assertEquals(3, StubResource.stub.attempts(bad.get("down-" + run)), "first attempt and 2 retries");

        assertTrue(StubResource.stub.requests().stream().allMatch(r -> "Bearer sk-stub".equals(r.authorization())));
    }

    @Test
    void labelEndpointReportsTeacherProblemsAs502() {
        given().contentType(ContentType.JSON).body(Map.of("text", "[outside] Eu não sei o que fazer"))
                .post("/v1/label").then().statusCode(502).body("error", equalTo("label-not-in-set"))
                .body("message", containsString("Final Answer: pt"));
        given().contentType(ContentType.JSON).body(Map.of("text", "[unparseable] Bonjour"))
                .post("/v1/label").then().statusCode(502).body("error", equalTo("answer-unparseable"));
        given().contentType(ContentType.JSON).body(Map.of("text", "[down] nobody home"))
                .post("/v1/label").then().statusCode(502).body("error", equalTo("teacher-failed"));
        given().contentType(ContentType.JSON).body(Map.of("text", "Where is the train station?"))
                .post("/v1/label").then().statusCode(200).body("label", equalTo("en"));
        given().get("/v1/teacher").then().statusCode(200).body("kind", equalTo("openai")).body("model", equalTo("stub-model"));
    }

    private static <T> Map<String, T> read(EmbeddedKafka kafka, String topic, java.util.Set<String> ids, Class<T> type) {
        Map<String, T> found = new HashMap<>();
        kafka.readUntil(topic, records -> {
            found.clear();
            records.stream().filter(r -> ids.contains(r.key())).forEach(r -> {
                try {
                    found.put(r.key(), MessageCodec.decode(r.value(), type));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return found.keySet().containsAll(ids);
        }, Duration.ofSeconds(60));
        return found;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
