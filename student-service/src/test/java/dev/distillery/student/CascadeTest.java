package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.messages.MessageCodec;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The cascade on a real broker with real checkpoints and a teacher over HTTP: cold start defers to the teacher and the
 * deferral reaches distill.labeled; a confident answer never calls the teacher; an unsure one does; a slow or failing
 * teacher gives the student's own answer, flagged, within the teacher timeout. Chat completions follow the configured
 * policy the same way and say who answered.
 */
@QuarkusTest
@TestProfile(CascadeProfile.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(10)
class CascadeTest {

    private static final String THRESHOLD = CascadeCalibration.thresholdKey(ConfidenceScore.MARGIN);

    private final RulesTeacherEndpoint teacher = RulesTeacherEndpoint.get();

    @TestHTTPResource("/v1")
    URL base;
    /** The 4 s teacher timeout plus generous slack for a loaded build machine; the slow teacher takes 20 s. */
    private static final Duration BOUND = Duration.ofSeconds(12);

    @Test
    @Order(1)
    void coldStartAnswersFromTheTeacherAndPublishesTheDeferral() {
        teacher.mode = RulesTeacherEndpoint.Mode.ANSWER;
        String text = "Das ist nicht mein Hund, sagte sie " + System.nanoTime();
        JsonPath answer = classify(Map.of("text", text, "policy", "cascade"));
        assertEquals("de", answer.getString("label"));
        assertEquals("teacher", answer.getString("answeredBy"), answer.prettify());
        assertEquals("no-checkpoint", answer.getString("deferred"));
        assertNull(answer.get("confidence"));

        List<ConsumerRecord<String, byte[]>> records = KafkaBrokerResource.kafka().readUntil(Topics.LABELED,
                r -> r.stream().anyMatch(rec -> decode(rec).text().equals(text)), Duration.ofSeconds(30));
        LabeledExample published = records.stream().map(CascadeTest::decode).filter(e -> e.text().equals(text))
                .findFirst().orElseThrow(() -> new AssertionError("the deferral never reached distill.labeled"));
        assertTrue(published.deferral());
        assertEquals("de", published.label());

        // The default policy is the cascade once a teacher URL is configured; chat completions follow it.
        given().get("/v1/model").then().statusCode(200).body("cascade.policy", equalTo("cascade"))
                .body("cascade.threshold", nullValue());
        int publishedBefore = teacher.published.get();
        JsonPath chat = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"Where is the train station?\"}],"
                + "\"n\":3,\"logprobs\":true}");
        assertEquals("Final Answer: en", chat.getString("choices[0].message.content"));
        assertEquals(1, chat.getList("choices").size(), "no student distribution yet: the teacher's is the only choice");
        assertNull(chat.get("choices[0].logprobs"));
        assertEquals("language-id-teacher", chat.getString("model"));
        assertEquals("teacher", chat.getString("system_fingerprint"));
        assertEquals("teacher", chat.getString("answeredBy"));
        assertEquals("no-checkpoint", chat.getString("deferred"));
        assertEquals(publishedBefore + 1, teacher.published.get(), "the chat deferral is published for the trainer");
    }

    @Test
    @Order(2)
    void coldStartWithTheTeacherDownIsA503NotAHang() {
        teacher.mode = RulesTeacherEndpoint.Mode.FAIL;
        long start = System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"text\":\"Hola, ¿qué tal?\"}").post("/v1/classify")
                .then().statusCode(503).body("error", equalTo("model-not-ready"));
        assertTrue(System.nanoTime() - start < BOUND.toNanos());
        teacher.mode = RulesTeacherEndpoint.Mode.ANSWER;
    }

    @Test
    @Order(3)
    void aConfidentAnswerNeverCallsTheTeacher() {
        long version = TrainedCheckpoints.nextVersion();
        TrainedCheckpoints.announce(TrainedCheckpoints.announcementOf(TrainedCheckpoints.writeNext(Map.of(THRESHOLD, 0.0))));
        ServiceProbe.awaitServed(version);
        int callsBefore = teacher.calls.get();
        for (String text : List.of("Good morning", "Guten Morgen", "Bonjour", "Доброе утро", "早上好")) {
            JsonPath answer = classify(Map.of("text", text, "policy", "cascade"));
            assertEquals("student", answer.getString("answeredBy"));
            assertNull(answer.get("deferred"));
            assertEquals(0.0, answer.getDouble("threshold"));
            assertEquals(version, answer.getLong("checkpoint"));
        }
        JsonPath batch = given().contentType(ContentType.JSON)
                .body("{\"texts\":[\"Hallo Welt\",\"Hello world\"],\"policy\":\"cascade\"}").post("/v1/classify/batch")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("student", "student"), batch.getList("results.answeredBy"));
        JsonPath chat = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"Guten Morgen\"}]}");
        assertEquals("student", chat.getString("answeredBy"));
        assertEquals("language-id-student-v" + version, chat.getString("model"));
        assertEquals("checkpoint-v" + version, chat.getString("system_fingerprint"));
        assertNull(chat.get("deferred"));
        assertEquals(callsBefore, teacher.calls.get(), "confident answers must not call the teacher");
        given().get("/v1/model").then().statusCode(200).body("cascade.threshold", equalTo(0.0f));
    }

    @Test
    @Order(4)
    void anUnsureAnswerComesFromTheTeacherAndTheStudentPolicyNeverDefers() {
        long version = TrainedCheckpoints.nextVersion();
        // No margin reaches 2: every answer is unsure.
        TrainedCheckpoints.announce(TrainedCheckpoints.announcementOf(TrainedCheckpoints.writeNext(Map.of(THRESHOLD, 2.0))));
        ServiceProbe.awaitServed(version);
        int callsBefore = teacher.calls.get();
        int publishedBefore = teacher.published.get();
        JsonPath answer = classify(Map.of("text", "Где находится вокзал?"));
        assertEquals("teacher", answer.getString("answeredBy"), answer.prettify());
        assertEquals("below-threshold", answer.getString("deferred"));
        assertEquals("ru", answer.getString("label"));
        assertTrue(answer.getDouble("confidence") > 0, "the student's own confidence is still reported");
        assertEquals(callsBefore + 1, teacher.calls.get());
        assertEquals(publishedBefore + 1, teacher.published.get());

        // Chat completions, through the official OpenAI SDK: the teacher's label first, then the student's others.
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("not-checked")
                .maxRetries(0).build();
        try {
            ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini").addUserMessage("Где находится вокзал?").n(3).logprobs(true).topLogprobs(2)
                    .build());
            assertEquals("language-id-teacher", completion.model());
            assertEquals("teacher", completion._additionalProperties().get("answeredBy").asString().orElseThrow());
            assertEquals(3, completion.choices().size());
            assertEquals("Final Answer: ru", completion.choices().getFirst().message().content().orElseThrow());
            assertEquals(3, completion.choices().stream().map(c -> c.message().content().orElseThrow()).distinct()
                    .count(), "distinct labels");
            assertEquals("ru", completion.choices().getFirst().logprobs().orElseThrow().content().orElseThrow().get(1)
                    .token(), "the teacher's label is the chosen token; the log-probabilities stay the student's");
        } finally {
            client.close();
        }
        assertEquals(callsBefore + 2, teacher.calls.get());
        assertEquals(publishedBefore + 2, teacher.published.get());
        String stream = given().contentType(ContentType.JSON).body(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Где находится вокзал?\"}],\"stream\":true}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(stream.contains("\"model\":\"language-id-teacher\"") && stream.contains("\"answeredBy\":\"teacher\"")
                && stream.contains("Final Answer: ru") && stream.endsWith("data: [DONE]\n\n"), stream);
        assertEquals(callsBefore + 3, teacher.calls.get());

        JsonPath student = classify(Map.of("text", "Где находится вокзал?", "policy", "student"));
        assertEquals("student", student.getString("answeredBy"));
        assertEquals(callsBefore + 3, teacher.calls.get(), "the student policy never calls the teacher");
        given().contentType(ContentType.JSON).body("{\"text\":\"x\",\"policy\":\"teacher\"}").post("/v1/classify")
                .then().statusCode(400).body("error", equalTo("invalid-policy"));
    }

    @Test
    @Order(5)
    void aSlowOrFailingTeacherGivesTheFlaggedStudentAnswerWithinTheTimeout() {
        for (RulesTeacherEndpoint.Mode mode : List.of(RulesTeacherEndpoint.Mode.SLOW, RulesTeacherEndpoint.Mode.FAIL)) {
            teacher.mode = mode;
            long start = System.nanoTime();
            JsonPath answer = classify(Map.of("text", "Wo ist der Bahnhof?"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("student", answer.getString("answeredBy"), mode.name());
            assertEquals("teacher-unavailable", answer.getString("deferred"), mode.name());
            // teacher-timeout is 4 s; the slow teacher would take 20 s
            assertTrue(seconds < BOUND.toSeconds(), mode + " took " + seconds + " s");
        }
        teacher.mode = RulesTeacherEndpoint.Mode.ANSWER;
        JsonPath model = given().get("/v1/model").then().statusCode(200).extract().jsonPath();
        assertTrue(model.getLong("cascade.totals.teacherFailures") >= 2);
        assertTrue(model.getLong("cascade.totals.teacherAnswers") >= 5); // cold starts and unsure answers, chat included
        assertTrue(model.getLong("cascade.totals.promptTokensSaved") > 0);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("distillery_student_cascade_teacher_failures_total{kind=\"timeout\"}"), metrics);
        assertTrue(metrics.contains("distillery_student_cascade_deferrals_total{reason=\"below-threshold\"}"));
    }

    @org.junit.jupiter.api.BeforeAll
    static void startTeacher() {
        RulesTeacherEndpoint.get();
    }

    private static JsonPath classify(Map<String, String> body) {
        io.restassured.response.Response response = given().contentType(ContentType.JSON).body(body).post("/v1/classify");
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    private static JsonPath chat(String body) {
        io.restassured.response.Response response = given().contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    private static LabeledExample decode(ConsumerRecord<String, byte[]> record) {
        try {
            return MessageCodec.decode(record.value(), LabeledExample.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a LabeledExample on distill.labeled", e);
        }
    }
}
