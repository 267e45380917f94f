package dev.distillery.http;

/**
 * A client-facing failure with its HTTP status and stable error code; each service's exception mapper renders it
 * as the {@link ApiError} body.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String error, String message) {
        return new ApiException(400, error, message);
    }

    public ApiError toApiError() {
        return new ApiError(status, error, getMessage());
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
