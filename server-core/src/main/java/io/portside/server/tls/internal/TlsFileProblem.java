package io.portside.server.tls.internal;

/** What is wrong with one of a listener's TLS files: the reason a load or a reload was refused. */
public enum TlsFileProblem {
    MISSING("does not exist"),
    UNREADABLE("cannot be read"),
    NOT_PEM("is not valid PEM"),
    NO_CERTIFICATE("holds no PEM certificate (BEGIN CERTIFICATE)"),
    NO_KEY("holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"),
    ENCRYPTED_KEY("holds an encrypted private key; give the key unencrypted (and readable by the host's user only)"),
    UNSUPPORTED_KEY("holds a private key the JDK cannot use"),
    KEY_MISMATCH("does not match its certificate"),
    EXPIRED("holds a certificate that has expired"),
    NOT_YET_VALID("holds a certificate that is not valid yet");

    private final String text;

    TlsFileProblem(String text) {
        this.text = text;
    }

    /** A phrase that follows the file's name, e.g. "does not match its certificate". */
    public String text() {
        return text;
    }
}
