package dev.bhatti.api.model;

/** Every error answer: {@code {"error": message, "code": code}}, plus {@code request_id} for internal errors. */
public record ErrorBody(String error, String code, String requestId) {}
