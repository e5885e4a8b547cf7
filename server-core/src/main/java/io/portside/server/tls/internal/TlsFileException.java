package io.portside.server.tls.internal;

import java.nio.file.Path;

/**
 * One of a listener's TLS files could not be used: which file, the reason as a {@link TlsFileProblem}, and a detail
 * (the parser's words, the dates). An IllegalArgumentException because at a listener's start it is a bad configuration.
 */
public final class TlsFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final TlsFileProblem problem;

    TlsFileException(String key, Path file, TlsFileProblem problem, String detail) {
        super("'" + key + "' " + file + " " + problem.text() + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    public TlsFileProblem problem() {
        return problem;
    }
}
