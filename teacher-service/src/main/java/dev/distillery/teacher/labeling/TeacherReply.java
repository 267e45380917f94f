package dev.distillery.teacher.labeling;

import dev.distillery.messages.LabeledExample.Usage;

/**
 * A raw teacher response, before it is parsed with the task's answer pattern.
 *
 * @param attempts requests it took, retries included (1 for the rules teacher)
 */
public record TeacherReply(String response, Usage usage, int attempts) {
}
