package dev.distillery.trainer.training;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.distillery.trainer.intake.Example;

/**
 * Longer held-out texts for a stream of short queries: joins each label's held-out examples, in arrival order, into
 * texts of 150, 250, 400 and 700 characters in turn, so that the gate and the status can show agreement on paragraphs
 * even when users stream sentences. The parts are held out, hence so is the whole; its label is the parts' (joining
 * same-label texts keeps it). Deterministic and append-only, like the held-out slice it extends.
 */
final class HeldOutJoiner {

    /** Marks a joined example's id (the id of its first part + this). */
    static final String SUFFIX = "#joined";
    private static final int[] TARGETS = {150, 250, 400, 700};

    private final Map<String, StringBuilder> open = new HashMap<>();
    private final Map<String, Example> firstPart = new HashMap<>();
    private final Map<String, Integer> joined = new HashMap<>();

    /** Adds a held-out example; returns a joined text when its label's current one reached its length. */
    Optional<Example> add(Example example) {
        String label = example.label();
        StringBuilder text = open.computeIfAbsent(label, l -> new StringBuilder());
        if (text.isEmpty()) {
            firstPart.put(label, example);
        } else {
            text.append(' ');
        }
        text.append(example.text().strip());
        int target = TARGETS[joined.getOrDefault(label, 0) % TARGETS.length];
        if (text.codePointCount(0, text.length()) < target) {
            return Optional.empty();
        }
        Example first = firstPart.get(label);
        joined.merge(label, 1, Integer::sum);
        open.remove(label);
        return Optional.of(new Example(first.id() + SUFFIX, text.toString(), label, first.target(), first.response()));
    }

    static boolean isJoined(Example example) {
        return example.id().endsWith(SUFFIX);
    }
}
