package dev.distillery.teacher.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jboss.logging.Logger;

import dev.distillery.teacher.llm.OpenAiTeacher.TokenLimitField;

/**
 * What one teacher server accepts, learned from its 400 answers: which token-limit field, whether a
 * {@code temperature} and {@code logprobs} may be sent. Each lesson is learned once and kept for the process.
 */
final class ServerQuirks {

    private static final Logger LOG = Logger.getLogger(ServerQuirks.class);

    /** Each parameter can be dropped or switched once; more retries than that cannot be a parameter problem. */
    static final int MAX_ADAPTATIONS = 3;

    /** The parameters one request was sent with. */
    record Request(boolean maxCompletionTokens, boolean temperature, boolean logprobs) {
    }

    private final TokenLimitField field;
    private volatile Request current;
    private final List<String> refused = new ArrayList<>();

    ServerQuirks(TokenLimitField field, boolean logprobs) {
        this.field = field;
        this.current = new Request(field != TokenLimitField.MAX_TOKENS, true, logprobs);
    }

    Request current() {
        return current;
    }

    synchronized List<String> refused() {
        return List.copyOf(refused);
    }

    /**
     * Whether the server's complaint about {@code sent} names a parameter that can be changed; if so, the next
     * {@link #current()} leaves it out or switches it.
     */
    synchronized boolean learn(Request sent, String complaint) {
        String text = complaint.toLowerCase(Locale.ROOT);
        Request next = null;
        String parameter = null;
        if (field == TokenLimitField.AUTO && sent.maxCompletionTokens() && text.contains("max_completion_tokens")) {
            next = new Request(false, current.temperature(), current.logprobs());
            parameter = "max_completion_tokens";
        } else if (field == TokenLimitField.AUTO && !sent.maxCompletionTokens() && text.contains("max_tokens")) {
            next = new Request(true, current.temperature(), current.logprobs());
            parameter = "max_tokens";
        } else if (sent.logprobs() && text.contains("logprobs")) {
            next = new Request(current.maxCompletionTokens(), current.temperature(), false);
            parameter = "logprobs";
        } else if (sent.temperature() && text.contains("temperature")) {
            next = new Request(current.maxCompletionTokens(), false, current.logprobs());
            parameter = "temperature";
        }
        if (next == null) {
            return false;
        }
        if (!current.equals(next) && current.equals(sent)) {
            current = next;
            refused.add(parameter);
            LOG.warnf("the teacher server refused '%s'; sending %s from now on (%s)", parameter, next,
                    OpenAiTeacher.abbreviate(complaint));
        }
        return true;
    }
}
