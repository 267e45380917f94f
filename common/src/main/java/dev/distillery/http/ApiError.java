package dev.distillery.http;

/**
 * The one JSON error shape every Distillery HTTP endpoint returns:
 * {@code {"status": 413, "error": "text-too-long", "message": "text has 5000 characters; the limit is 4000"}}.
 *
 * @param error a stable machine-readable code (kebab-case); clients switch on it, never on {@code message}
 */
public record ApiError(int status, String error, String message) {
}
