package dev.distillery.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.distillery.integrity.Sha256;

/**
 * What is being distilled: the teacher's prompt P, the label set, and how answers are written and read.
 * A task lives in a directory holding {@code task.json} and the prompt file it names (a ConfigMap on Kubernetes).
 *
 * @param answerPattern  regex with one group that captures the label in a teacher response
 * @param answerTemplate how a label is written back as an answer; {@code {label}} is replaced
 * @param fallbackLabel  the label for "none of the above" (also where unsure answers go)
 */
public record TaskSpec(
        String name,
        String description,
        String prompt,
        List<String> labels,
        Pattern answerPattern,
        String answerTemplate,
        String fallbackLabel) {

    public static final String TASK_FILE = "task.json";
    public static final String DEFAULT_ANSWER_PATTERN = "Final Answer:\\s*(\\w+)";
    public static final String DEFAULT_ANSWER_TEMPLATE = "Final Answer: {label}";
    private static final String BUILT_IN_ROOT = "/dev/distillery/task/language-id/";

    public TaskSpec {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("task name must be non-empty [A-Za-z0-9._-]+, got: " + name);
        }
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("task " + name + " has an empty prompt");
        }
        labels = List.copyOf(labels);
        if (labels.isEmpty() || labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("task " + name + " needs a non-empty set of distinct labels");
        }
        if (answerPattern.matcher("").groupCount() != 1) {
            throw new IllegalArgumentException("answer pattern must have exactly one group: " + answerPattern);
        }
        if (!answerTemplate.contains("{label}")) {
            throw new IllegalArgumentException("answer template must contain {label}: " + answerTemplate);
        }
        if (!labels.contains(fallbackLabel)) {
            throw new IllegalArgumentException("fallback label " + fallbackLabel + " is not in the label set " + labels);
        }
    }

    /** The task this project ships: 13-way language identification with the rules prompt. */
    public static TaskSpec languageId() {
        try (InputStream json = resource(TASK_FILE)) {
            return fromJson(json.readAllBytes(), file -> {
                try (InputStream in = resource(file)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("built-in task is missing from the classpath", e);
        }
    }

    /** Loads {@code dir/task.json} (or the given json file) and the prompt file it names, relative to it. */
    public static TaskSpec load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(TASK_FILE) : path;
        Path dir = file.toAbsolutePath().getParent();
        return fromJson(Files.readAllBytes(file), promptFile -> Files.readString(dir.resolve(promptFile)));
    }

    /** The configured task when a path is given, else the built-in one. */
    public static TaskSpec loadOrDefault(Optional<String> path) {
        if (path.isEmpty() || path.get().isBlank()) {
            return languageId();
        }
        try {
            return load(Path.of(path.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task from " + path.get(), e);
        }
    }

    /** sha256 of P: what messages and checkpoints carry instead of the prompt itself. */
    public String promptSha256() {
        return Sha256.hex(prompt);
    }

    /** The raw label captured by the answer pattern, if the response matches at all (it may be outside the set). */
    public Optional<String> extractLabel(String response) {
        if (response == null) {
            return Optional.empty();
        }
        Matcher m = answerPattern.matcher(response);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public boolean hasLabel(String label) {
        return labels.contains(label);
    }

    public int labelIndex(String label) {
        return labels.indexOf(label);
    }

    public String formatAnswer(String label) {
        return answerTemplate.replace("{label}", label);
    }

    private static TaskSpec fromJson(byte[] json, PromptReader promptReader) throws IOException {
        JsonNode node = new ObjectMapper().readTree(json);
        String promptFile = text(node, "promptFile", "prompt.txt");
        String pattern = text(node, "answerPattern", DEFAULT_ANSWER_PATTERN);
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid answerPattern: " + pattern, e);
        }
        List<String> labels = node.path("labels").isArray()
                ? java.util.stream.StreamSupport.stream(node.get("labels").spliterator(), false).map(JsonNode::asText).toList()
                : List.of();
        return new TaskSpec(
                text(node, "name", null),
                text(node, "description", ""),
                promptReader.read(promptFile),
                labels,
                compiled,
                text(node, "answerTemplate", DEFAULT_ANSWER_TEMPLATE),
                text(node, "fallbackLabel", "ot"));
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = TaskSpec.class.getResourceAsStream(BUILT_IN_ROOT + file);
        if (in == null) {
            throw new IOException("no resource " + BUILT_IN_ROOT + file);
        }
        return in;
    }

    @FunctionalInterface
    private interface PromptReader {
        String read(String file) throws IOException;
    }
}
