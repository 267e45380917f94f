package dev.distillery.student.api;

/** A client error with its HTTP status and stable {@code error} code; rendered as {@link dev.distillery.http.ApiError}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    static ApiException badRequest(String error, String message) {
        return new ApiException(400, error, message);
    }
}
