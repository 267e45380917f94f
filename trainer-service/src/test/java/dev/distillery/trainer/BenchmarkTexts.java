package dev.distillery.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.messages.MessageCodec;

/** The benchmarks' input files: one text per line, or JSONL with {@code text} and an optional {@code label}. */
final class BenchmarkTexts {

    private BenchmarkTexts() {
    }

    /** Appends the file's texts to {@code texts} and, for lines that have one, its label to {@code truth}. */
    static void read(Path file, List<String> texts, List<String> truth) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("{")) {
                JsonNode n = MessageCodec.mapper().readTree(line);
                texts.add(n.get("text").asText());
                if (n.hasNonNull("label")) {
                    truth.add(n.get("label").asText());
                }
            } else {
                texts.add(line.strip());
            }
        }
    }
}
