package dev.distillery.teacher.labeling;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

import dev.distillery.task.TaskSpec;
import dev.distillery.teacher.labeling.TeacherReply.Alternative;
import dev.distillery.teacher.labeling.TeacherReply.TokenLogprob;

/**
 * The teacher's distribution over the task's labels, read from the log-probabilities of the token where the label
 * begins (the token after the answer prefix, e.g. after {@code Final Answer:}). Each alternative at that position is
 * credited to the one label it spells (case and surrounding spaces aside) or, for labels longer than one token, to the
 * one label it begins; alternatives that name no label or several are dropped, and the rest renormalised. These are
 * the soft targets of context distillation: the trainer learns the whole distribution instead of its argmax.
 */
public final class LabelDistribution {

    private LabelDistribution() {
    }

    /** Empty when the reply carries no log-probabilities, or they do not line up with the response. */
    public static Map<String, Double> of(TaskSpec task, String response, List<TokenLogprob> tokens) {
        if (tokens.isEmpty() || response == null) {
            return Map.of();
        }
        Matcher m = task.answerPattern().matcher(response);
        if (!m.find()) {
            return Map.of();
        }
        int labelStart = m.start(1);
        int offset = 0;
        for (TokenLogprob token : tokens) {
            int end = offset + token.token().length();
            if (end > labelStart) {
                if (!response.startsWith(token.token(), offset)) {
                    return Map.of(); // tokens do not spell the response (e.g. hidden reasoning): nothing to trust
                }
                String before = response.substring(offset, labelStart);
                return normalise(credit(task, before, token));
            }
            offset = end;
        }
        return Map.of();
    }

    private static Map<String, Double> credit(TaskSpec task, String before, TokenLogprob token) {
        Map<String, Double> mass = new HashMap<>();
        // Prefixes count only when labels span tokens here: with whole-label tokens, "e" is not a vote for "en".
        boolean prefixes = !task.labels().stream().map(l -> l.toLowerCase(Locale.ROOT))
                .toList().contains(candidate(before, token.token()));
        boolean chosenListed = false;
        for (Alternative alt : token.top()) {
            chosenListed |= alt.token().equals(token.token());
            add(mass, task, before, alt.token(), alt.logprob(), prefixes);
        }
        if (!chosenListed) {
            add(mass, task, before, token.token(), token.logprob(), prefixes);
        }
        return mass;
    }

    /** The token may start with what precedes the label in the response (a space, the colon): strip that part. */
    private static String candidate(String before, String token) {
        String text = token.startsWith(before) ? token.substring(before.length()) : token;
        return text.strip().toLowerCase(Locale.ROOT);
    }

    private static void add(Map<String, Double> mass, TaskSpec task, String before, String alternative, double logprob,
            boolean prefixes) {
        if (!Double.isFinite(logprob)) {
            return;
        }
        String candidate = candidate(before, alternative);
        if (candidate.isEmpty()) {
            return;
        }
        String exact = null;
        String prefixOf = null;
        int prefixMatches = 0;
        for (String label : task.labels()) {
            String l = label.toLowerCase(Locale.ROOT);
            if (l.equals(candidate)) {
                exact = label;
            } else if (prefixes && l.startsWith(candidate)) {
                prefixOf = label;
                prefixMatches++;
            }
        }
        String label = exact != null ? exact : prefixMatches == 1 ? prefixOf : null;
        if (label != null) {
            mass.merge(label, Math.exp(logprob), Double::sum);
        }
    }

    private static Map<String, Double> normalise(Map<String, Double> mass) {
        double total = mass.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!(total > 0)) {
            return Map.of();
        }
        Map<String, Double> p = new HashMap<>();
        mass.forEach((label, m) -> p.put(label, m / total));
        return Map.copyOf(p);
    }
}
