package dev.distillery.teacher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.distillery.kafka.Topics;
import dev.distillery.messages.LabeledExample;
import dev.distillery.task.TaskSpec;
import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The HTTP API: /v1/queries publishes, /v1/label answers, /v1/teacher describes; bad requests get ApiError JSON. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TeacherHttpTest {

    @Test
    void submittedQueriesAreLabeledThroughKafka() {
        String single = given().contentType(ContentType.JSON).body(Map.of("text", "Il fait très beau aujourd'hui à Paris."))
                .post("/v1/queries")
                .then().statusCode(202).body("accepted", equalTo(1)).body("ids", hasSize(1))
                .extract().path("ids[0]");
        List<String> batch = given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(Fixtures.SENTENCES.get("de"), Fixtures.SENTENCES.get("zh"),
                        Fixtures.SENTENCES.get("ur"))))
                .post("/v1/queries")
                .then().statusCode(202).body("accepted", equalTo(3)).body("ids", hasSize(3))
                .extract().path("ids");
        List<String> ids = new ArrayList<>(batch);
        ids.add(single);
        Map<String, LabeledExample> out = Fixtures.labeled(KafkaBrokerResource.kafka(), Topics.LABELED,
                new HashSet<>(ids), Duration.ofSeconds(60));
        assertEquals("fr", out.get(single).label());
        assertEquals("de", out.get(batch.get(0)).label());
        assertEquals("zh", out.get(batch.get(1)).label());
        assertEquals("ur", out.get(batch.get(2)).label());
    }

    @Test
    void labelAnswersSynchronously() {
        given().contentType(ContentType.JSON).body(Map.of("text", "Where is the train station?"))
                .post("/v1/label")
                .then().statusCode(200)
                .body("label", equalTo("en"))
                .body("response", equalTo("Final Answer: en"))
                .body("latencyMs", greaterThanOrEqualTo(0));
        given().contentType(ContentType.JSON).body(Map.of("text", "Привет, как дела?"))
                .post("/v1/label").then().statusCode(200).body("label", equalTo("ru"));
    }

    @Test
    void teacherDescribesTaskKindModelAndPromptHash() {
        TaskSpec task = TaskSpec.languageId();
        given().get("/v1/teacher").then().statusCode(200)
                .body("task", equalTo("language-id"))
                .body("kind", equalTo("rules"))
                .body("model", equalTo("language-id-rules-v1"))
                .body("promptSha256", equalTo(task.promptSha256()))
                .body("labels", equalTo(task.labels()));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/label   | {"text": "unterminated          | 400 | malformed-json
            /v1/label   | {"text": "a"} trailing          | 400 | malformed-json
            /v1/label   | ''                              | 400 | empty-body
            /v1/label   | [1, 2]                          | 400 | invalid-body
            /v1/label   | {"text": 5}                     | 400 | invalid-request
            /v1/label   | {"text": null}                  | 400 | invalid-request
            /v1/label   | {"other": "x"}                  | 400 | invalid-request
            /v1/label   | {"text": ""}                    | 400 | empty-text
            /v1/label   | {"text": "  \\n\\t "}           | 400 | empty-text
            /v1/queries | {"text": "unterminated          | 400 | malformed-json
            /v1/queries | {"text": 5}                     | 400 | invalid-request
            /v1/queries | {"texts": "not an array"}       | 400 | invalid-request
            /v1/queries | {"texts": ["ok text here", 7]}  | 400 | invalid-request
            /v1/queries | {"text": "a", "texts": ["b"]}   | 400 | invalid-request
            /v1/queries | {}                              | 400 | invalid-request
            /v1/queries | {"texts": []}                   | 400 | empty-text
            /v1/queries | {"texts": ["fine text", " "]}   | 400 | empty-text
            /v1/queries | {"text": "   "}                 | 400 | empty-text
            /v1/label   | {"text": "\\ud800"}             | 400 | invalid-unicode
            /v1/label   | {"text": "a", "text": "b"}      | 400 | malformed-json
            /v1/label   | {"text": "a\\u0000b"}           | 400 | forbidden-character
            /v1/queries | {"text": "\\uFEFFhello"}        | 400 | forbidden-character
            /v1/queries | {"texts": ["ok", "\\udc00"]}    | 400 | invalid-unicode
            """)
    void badRequestsGetApiErrors(String path, String body, int status, String error) {
        given().contentType(ContentType.JSON).body(body).post(path.strip())
                .then().statusCode(status)
                .contentType(ContentType.JSON)
                .body("status", equalTo(status))
                .body("error", equalTo(error))
                .body("message", startsWith(""));
    }

    @Test
    void invalidUtf8IsABadRequest() {
        byte[] body = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        for (String path : List.of("/v1/label", "/v1/queries")) {
            given().contentType(ContentType.JSON).body(body).post(path)
                    .then().statusCode(400).body("error", equalTo("invalid-utf8"));
        }
    }

    @Test
    void tooLongTextIs413() {
        String longText = "a".repeat(4001);
        given().contentType(ContentType.JSON).body(Map.of("text", longText)).post("/v1/label")
                .then().statusCode(413).body("error", equalTo("text-too-long")).body("status", equalTo(413));
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("short one", longText))).post("/v1/queries")
                .then().statusCode(413).body("error", equalTo("text-too-long"))
                .body("message", containsString("texts[1]"));
    }

    @Test
    void tooManyTextsIs413() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            texts.add("text " + i);
        }
        given().contentType(ContentType.JSON).body(Map.of("texts", texts)).post("/v1/queries")
                .then().statusCode(413).body("error", equalTo("too-many-texts"));
    }

    @Test
    void unknownPathsAndMethodsGetApiErrors() {
        given().get("/v1/nothing-here").then().statusCode(404).body("error", equalTo("not-found"));
        given().get("/v1/label").then().statusCode(405).body("error", equalTo("method-not-allowed"));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().contentType(ContentType.JSON).body(Map.of("text", "Where is the train station?")).post("/v1/label")
                .then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                // A histogram (buckets aggregate across replicas), and the Kafka clients' own metrics.
                .body(containsString("distillery_teacher_latency_seconds_bucket"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"))
                .body(containsString("kafka_producer_record_send_total"))
                .body(containsString("distillery_teacher_rejected_total"))
                .body(containsString("distillery_teacher_tokens_total"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/v1/label")).body(containsString("/v1/queries")).body(containsString("/v1/teacher"));
    }
}
