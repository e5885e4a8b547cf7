package io.portside.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Felix framework's own log ({@code felix.log.logger}), into java.util.logging as logger
 * {@code org.apache.felix.framework}: without it Felix prints {@code ERROR: ...} and a stack trace straight to
 * System.out, the one kind of console line that bypassed the limiter, the timestamps and the JSON format.
 * {@code felix.log.level} still decides what Felix hands over.
 */
final class FelixFrameworkLog extends org.apache.felix.framework.Logger {

    static final String LOGGER = "org.apache.felix.framework";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    /** Felix's levels: 1 error, 2 warning, 3 info, 4 debug; the message already names the bundle or service concerned. */
    @Override
    protected void doLog(int level, String message, Throwable error) {
        Level l = switch (level) {
            case 1 -> Level.SEVERE;
            case 2 -> Level.WARNING;
            case 3 -> Level.INFO;
            default -> Level.FINE;
        };
        LOG.log(l, message, error); // no parameters: Felix's text is printed as it is, braces and all
    }
}
