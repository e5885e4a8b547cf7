package io.portside.server.exitguard.internal;

/** A class the guard cannot check or rewrite (malformed, or a class-file version newer than its ASM reads). */
final class UnguardableClassException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnguardableClassException(String message) {
        super(message);
    }

    UnguardableClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
