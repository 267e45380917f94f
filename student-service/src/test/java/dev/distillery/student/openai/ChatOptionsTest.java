package dev.distillery.student.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.task.TaskSpec;

/** The model check of distillery.student.strict-model, and the options' defaults (the HTTP tests cover the rest). */
class ChatOptionsTest {

    private static final TaskSpec TASK = TaskSpec.languageId();

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void strictModelRefusesOtherNamesAndAcceptsTheStudentsOwn() throws Exception {
        OpenAiRequestException e = assertThrows(OpenAiRequestException.class,
                () -> ChatOptions.parse(json("{\"model\":\"gpt-4o-mini\"}"), TASK, true));
        assertEquals(404, e.status());
        assertEquals("model-not-found", e.error());
        assertEquals("model", e.param());
        for (String own : new String[] { "language-id-student", "language-id-student-v12", "language-id-student-untrained" }) {
            assertEquals(own, ChatOptions.parse(json("{\"model\":\"" + own + "\"}"), TASK, true).model());
        }
        assertEquals("gpt-4o-mini", ChatOptions.parse(json("{\"model\":\"gpt-4o-mini\"}"), TASK, false).model());
    }

    @Test
    void defaultsAreOneChoiceNoLogprobsNoStream() throws Exception {
        assertEquals(new ChatOptions(null, 1, false, 0, false, false), ChatOptions.parse(json("{}"), TASK, false));
        assertEquals(new ChatOptions(null, 13, true, 20, true, true), ChatOptions.parse(json(
                "{\"n\":13,\"logprobs\":true,\"top_logprobs\":20,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"),
                TASK, false));
    }
}
