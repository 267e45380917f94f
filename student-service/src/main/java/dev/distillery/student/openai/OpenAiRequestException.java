package dev.distillery.student.openai;

import dev.distillery.http.ApiException;

/** A bad field of an OpenAI request, named in the error's {@code param}. */
public class OpenAiRequestException extends ApiException {

    private final String param;

    public OpenAiRequestException(int status, String error, String param, String message) {
        super(status, error, message);
        this.param = param;
    }

    public static OpenAiRequestException badRequest(String error, String param, String message) {
        return new OpenAiRequestException(400, error, param, message);
    }

    public String param() {
        return param;
    }
}
