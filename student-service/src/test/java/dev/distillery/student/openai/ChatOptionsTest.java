package dev.distillery.student.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.distillery.task.TaskSpec;

/** The model check of distillery.student.strict-model, the options' defaults, and the user text a request carries
 * (the HTTP tests cover the error codes). */
class ChatOptionsTest {

    private static final TaskSpec TASK = TaskSpec.languageId();

    /** The options of a request with one user message and the given further fields ({@code "a":1,...} or empty). */
    private static ChatRequest request(String fields) {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hallo\"}]" + (fields.isEmpty() ? "" : "," + fields) + "}";
        return ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void strictModelRefusesOtherNamesAndAcceptsTheStudentsOwn() throws Exception {
        OpenAiRequestException e = assertThrows(OpenAiRequestException.class,
                () -> ChatOptions.of(request("\"model\":\"gpt-4o-mini\""), TASK, true));
        assertEquals(404, e.status());
        assertEquals("model-not-found", e.error());
        assertEquals("model", e.param());
        for (String own : new String[] { "language-id-student", "language-id-student-v12", "language-id-student-untrained" }) {
            assertEquals(own, ChatOptions.of(request("\"model\":\"" + own + "\""), TASK, true).model());
        }
        assertEquals("gpt-4o-mini", ChatOptions.of(request("\"model\":\"gpt-4o-mini\""), TASK, false).model());
    }

    @Test
    void defaultsAreOneChoiceNoLogprobsNoStream() throws Exception {
        assertEquals(new ChatOptions(null, 1, false, 0, false, false), ChatOptions.of(request(""), TASK, false));
        assertEquals(new ChatOptions(null, 13, true, 20, true, true), ChatOptions.of(request(
                "\"n\":13,\"logprobs\":true,\"top_logprobs\":20,\"stream\":true,\"stream_options\":{\"include_usage\":true}"),
                TASK, false));
    }

    @Test
    void theLastUserMessageIsClassifiedAndTextPartsAreJoined() {
        ChatRequest request = ChatRequest.parse(("{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"fr\"},{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Guten\"},{\"type\":\"text\",\"text\":\"Tag\"}]}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("Guten\nTag", request.lastUserText());
        assertEquals(3, request.messages().size());
    }
}
