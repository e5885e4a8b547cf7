package io.portside.server.host.internal;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/**
 * Why a listener's socket could not be bound, in the operator's words, and whether trying again later can help
 * (a port another process holds may be freed; an address may yet be configured on this machine).
 */
enum BindFailure {

    ADDRESS_IN_USE("address already in use (another process or listener holds it)", true),
    ADDRESS_NOT_HERE("the address is not on this machine (no interface has it)", true),
    /** Something that is not a stale socket holds a Unix socket path: it is left alone, and not retried. */
    PATH_TAKEN("address already in use", false),
    PERMISSION_DENIED("permission denied (ports below 1024 need privileges; Unix paths need write access to their folder)", false),
    OTHER("", false);

    private final String text;
    private final boolean retryable;

    BindFailure(String text, boolean retryable) {
        this.text = text;
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }

    static BindFailure of(Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof BindException || e instanceof IOException) {
            if (m.contains("address already in use")) {
                return ADDRESS_IN_USE;
            }
            if (m.contains("cannot assign requested address") || m.contains("address not available")) {
                return ADDRESS_NOT_HERE;
            }
            if (m.contains("permission denied") || e instanceof AccessDeniedException) {
                return PERMISSION_DENIED;
            }
            if (e instanceof BindException) {
                return PATH_TAKEN;
            }
        }
        return OTHER;
    }

    /** The reason as one phrase: this failure's words and the system's own message. */
    static String describe(Throwable e) {
        BindFailure kind = of(e);
        String own = e.getMessage() == null ? e.toString() : e.getMessage();
        return kind == OTHER ? own : kind.text + " (" + own + ")";
    }
}
