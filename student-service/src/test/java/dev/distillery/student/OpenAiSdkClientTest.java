package dev.distillery.student;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.models.Model;

import dev.distillery.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The student's OpenAI routes with the official OpenAI Java SDK as the client: model list, chat, log-probabilities,
 * n, streaming and errors, read through the SDK's own types and exceptions.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(CheckpointDirResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(5)
class OpenAiSdkClientTest {

    private static final String TEXT = "Où est la gare ?";

    @TestHTTPResource("/v1")
    URL base;

    private OpenAIClient client;

    /** Not in @BeforeAll: the application's port is known only once the test instance is set up. */
    @BeforeEach
    void connect() {
        if (client == null) {
            ServiceProbe.ensureServing();
            client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("not-checked").maxRetries(0).build();
        }
    }

    @AfterAll
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static ChatCompletionCreateParams.Builder ask(String text) {
        return ChatCompletionCreateParams.builder().model("language-id-student")
                .addSystemMessage("Classify the language of the user's message. Answer 'Final Answer: <code>'.")
                .addUserMessage(text);
    }

    /** The native route's view of the same text: what the OpenAI answers must agree with. */
    private static JsonPath classify(String text) {
        return given().contentType(ContentType.JSON).body("{\"text\":\"" + text + "\"}").post("/v1/classify")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void modelsListTheServedCheckpointWithBaseAndVersion() {
        List<Model> models = client.models().list().data();
        assertEquals(1, models.size());
        Model model = models.getFirst();
        assertEquals("language-id-student", model.id());
        assertEquals("distillery", model.ownedBy());
        assertEquals("tiny", model._additionalProperties().get("base").asString().orElseThrow());
        long served = ServiceProbe.servedVersion();
        assertEquals(served, ((Number) model._additionalProperties().get("version").asNumber().orElseThrow()).longValue());
        assertEquals("language-id-student", client.models().retrieve("language-id-student").id());
    }

    @Test
    void aTeacherClientKeepsItsModelName() {
        ChatCompletion completion = client.chat().completions().create(ask(TEXT).model("gpt-4o-mini").build());
        assertTrue(completion.model().startsWith("language-id-student-v"), "names what answered: " + completion.model());
    }

    @Test
    void chatAnswersWithTheLabelAndCountsWhatWasProcessed() {
        JsonPath native_ = classify(TEXT);
        ChatCompletion completion = client.chat().completions().create(ask(TEXT).build());
        assertEquals(1, completion.choices().size());
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertEquals("Final Answer: " + native_.getString("label"), choice.message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
        assertTrue(completion.model().startsWith("language-id-student-v"), completion.model());
        assertEquals(native_.getInt("tokens"), completion.usage().orElseThrow().promptTokens(),
                "prompt tokens: the query as the model read it, no task prompt");
        assertEquals(1, completion.usage().orElseThrow().completionTokens(), "one label decided, not template tokens");
    }

    @Test
    void logprobsAreTheLabelDistributionAndNGivesTheNextMostProbableLabels() {
        JsonPath native_ = classify(TEXT);
        ChatCompletion completion = client.chat().completions().create(ask(TEXT).logprobs(true).topLogprobs(3).n(2)
                .build());
        assertEquals(2, completion.choices().size());
        assertEquals(2, completion.usage().orElseThrow().completionTokens());
        List<ChatCompletionTokenLogprob> tokens = completion.choices().getFirst().logprobs().orElseThrow().content()
                .orElseThrow();
        assertEquals("Final Answer: ", tokens.get(0).token());
        assertEquals(0.0, tokens.get(0).logprob());
        ChatCompletionTokenLogprob label = tokens.get(1);
        assertEquals(native_.getString("label"), label.token());
        assertEquals(Math.log(native_.getDouble("confidence")), label.logprob(), 1e-4);
        assertEquals(3, label.topLogprobs().size());
        assertEquals(label.token(), label.topLogprobs().get(0).token());
        double mass = 0;
        for (int i = 0; i < 3; i++) {
            mass += Math.exp(label.topLogprobs().get(i).logprob());
            if (i > 0) {
                assertTrue(label.topLogprobs().get(i).logprob() <= label.topLogprobs().get(i - 1).logprob());
            }
        }
        assertTrue(mass <= 1.0 + 1e-6, "probabilities of distinct labels: " + mass);
        String second = label.topLogprobs().get(1).token();
        assertEquals("Final Answer: " + second, completion.choices().get(1).message().content().orElseThrow());
    }

    @Test
    void streamingSendsOneContentChunkThenUsageThenDone() {
        String expected = "Final Answer: " + classify(TEXT).getString("label");
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ask(TEXT).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = stream.stream().toList();
        }
        assertEquals(2, chunks.size(), "content chunk, usage chunk; [DONE] ends the stream");
        ChatCompletionChunk.Choice content = chunks.getFirst().choices().getFirst();
        assertEquals(expected, content.delta().content().orElseThrow());
        assertEquals(ChatCompletionChunk.Choice.FinishReason.STOP, content.finishReason().orElseThrow());
        assertTrue(chunks.get(1).choices().isEmpty());
        assertEquals(1, chunks.get(1).usage().orElseThrow().completionTokens());
    }

    @Test
    void errorsReachTheSdkWithTypeCodeAndParam() {
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> client.models().retrieve("gpt-4o-mini"));
        assertEquals(404, notFound.statusCode());
        assertEquals("model-not-found", notFound.code().orElseThrow());
        assertEquals("not_found_error", notFound.type().orElseThrow());
        assertEquals("model", notFound.param().orElseThrow());

        BadRequestException tooMany = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ask(TEXT).n(99).build()));
        assertEquals("invalid-value", tooMany.code().orElseThrow());
        assertEquals("invalid_request_error", tooMany.type().orElseThrow());
        assertEquals("n", tooMany.param().orElseThrow());
        assertTrue(tooMany.getMessage().contains("most probable labels"), tooMany.getMessage());

        BadRequestException empty = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ask("   ").build()));
        assertEquals("empty-text", empty.code().orElseThrow(), "the native rule's code, in OpenAI's shape");
    }
}
