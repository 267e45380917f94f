package dev.distillery.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSpecTest {

    @Test
    void builtInLanguageTaskHasThirteenLabelsAndParsesAnswers() {
        TaskSpec task = TaskSpec.languageId();
        assertEquals("language-id", task.name());
        assertEquals(13, task.labels().size());
        assertEquals("ot", task.fallbackLabel());
        assertEquals(Optional.of("fr"), task.extractLabel("Hmm.\nFinal Answer: fr"));
        assertEquals(Optional.empty(), task.extractLabel("I think it is French"));
        assertEquals("Final Answer: de", task.formatAnswer("de"));
        assertEquals(64, task.promptSha256().length());
        assertTrue(task.prompt().lines().count() > 50, "the prompt is the long rules prompt");
    }

    @Test
    void loadsATaskDirectoryWithItsOwnPromptLabelsAndPattern(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("task.json"), """
                {"name": "sentiment", "labels": ["pos", "neg", "none"], "fallbackLabel": "none",
                 "answerPattern": "Sentiment=(\\\\w+)", "answerTemplate": "Sentiment={label}", "promptFile": "p.txt"}
                """);
        Files.writeString(dir.resolve("p.txt"), "Say whether the review is positive.");
        TaskSpec task = TaskSpec.load(dir);
        assertEquals("sentiment", task.name());
        assertEquals(Optional.of("neg"), task.extractLabel("Sentiment=neg"));
        assertFalse(task.hasLabel("en"));
        assertEquals(task.labels(), TaskSpec.load(dir.resolve("task.json")).labels());
    }

    @Test
    void rejectsATaskWhoseFallbackIsNotALabel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("task.json"), """
                {"name": "t", "labels": ["a", "b"], "fallbackLabel": "c"}""");
        Files.writeString(dir.resolve("prompt.txt"), "P");
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.load(dir));
    }
}
