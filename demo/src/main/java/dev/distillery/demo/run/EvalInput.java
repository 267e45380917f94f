package dev.distillery.demo.run;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.demo.process.HttpJson;

/**
 * The texts {@code ./distillery eval FILE} scores: one text per line, or JSON Lines (every non-blank line a JSON
 * object with a string {@code text} and an optional string {@code label}, the true answer). Blank lines are skipped;
 * anything else that cannot be read is an error naming the line, so no text is silently dropped.
 */
public record EvalInput(List<Item> items, boolean jsonLines) {

    /** @param label the true label given in the file, or null */
    public record Item(int line, String text, String label) {
    }

    public static EvalInput read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text");
        }
        boolean json = lines.stream().filter(l -> !l.isBlank()).findFirst().map(l -> l.strip().startsWith("{"))
                .orElse(false);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            items.add(json ? jsonItem(file, i + 1, line) : new Item(i + 1, line.strip(), null));
        }
        if (items.isEmpty()) {
            throw new IOException(file + " holds no text");
        }
        return new EvalInput(List.copyOf(items), json);
    }

    private static Item jsonItem(Path file, int line, String text) throws IOException {
        JsonNode node;
        try {
            node = HttpJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(file + " line " + line + ": not a JSON object (the file's first line is, so every "
                    + "line must be)");
        }
        if (node == null || !node.isObject() || !node.path("text").isTextual()) {
            throw new IOException(file + " line " + line + ": needs a string \"text\"");
        }
        JsonNode label = node.get("label");
        if (label != null && !label.isNull() && !label.isTextual()) {
            throw new IOException(file + " line " + line + ": \"label\" must be a string");
        }
        return new Item(line, node.get("text").asText(), label == null || label.isNull() ? null : label.asText());
    }

    boolean hasLabels() {
        return items.stream().anyMatch(i -> i.label() != null);
    }
}
