package dev.distillery.student.api;

/** One label's probability. */
public record LabelScore(String label, double score) {
}
