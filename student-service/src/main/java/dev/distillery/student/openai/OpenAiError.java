package dev.distillery.student.openai;

/**
 * The error body of the OpenAI API, {@code {"error": {"message", "type", "param", "code"}}}, which OpenAI SDKs read
 * into their exceptions ({@code e.code}, {@code e.type}). The OpenAI routes answer with it; the native routes keep
 * {@link dev.distillery.http.ApiError}. {@code code} is the same stable code the native routes give.
 */
public record OpenAiError(Body error) {

    public record Body(String message, String type, String param, String code) {
    }

    public static OpenAiError of(int status, String code, String message, String param) {
        return new OpenAiError(new Body(message, type(status), param, code));
    }

    /** OpenAI's error types by status. */
    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
