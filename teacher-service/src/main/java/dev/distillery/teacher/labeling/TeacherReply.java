package dev.distillery.teacher.labeling;

import java.util.List;

import dev.distillery.messages.LabeledExample.Usage;

/**
 * A raw teacher response, before it is parsed with the task's answer pattern.
 *
 * @param attempts requests it took, retries included (1 for the rules teacher)
 * @param tokens   the response's tokens with their log-probabilities and alternatives, when the server gave them;
 *                 empty otherwise
 */
public record TeacherReply(String response, Usage usage, int attempts, List<TokenLogprob> tokens) {

    public TeacherReply {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    public TeacherReply(String response, Usage usage, int attempts) {
        this(response, usage, attempts, List.of());
    }

    /** One generated token, its natural log-probability, and the most likely tokens at its position (itself included). */
    public record TokenLogprob(String token, double logprob, List<Alternative> top) {
        public TokenLogprob {
            top = top == null ? List.of() : List.copyOf(top);
        }
    }

    public record Alternative(String token, double logprob) {
    }
}
