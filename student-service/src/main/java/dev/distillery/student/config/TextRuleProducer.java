package dev.distillery.student.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.distillery.text.TextRule;

/** The common {@link TextRule} at the student's limit ({@code distillery.student.max-text-chars}), for every route. */
@Singleton
public class TextRuleProducer {

    @Produces
    @Singleton
    TextRule textRule(StudentConfig config) {
        return new TextRule(config.student().maxTextChars());
    }
}
