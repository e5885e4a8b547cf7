package io.portside.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs a Gogo command in an embedded host through Gogo's public API ({@code org.apache.felix.service.command}), as the
 * host's console or a script would. The tests run outside the framework and Gogo's API classes live in the Gogo
 * runtime bundle, so the calls are made through that bundle's own {@code CommandProcessor} and {@code CommandSession}
 * interfaces, whose methods take and return only JDK types; no host internals are touched.
 */
final class GogoCommands {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";

    private GogoCommands() {
    }

    /** The value {@code command} returns (e.g. the String of {@code portside:json}). */
    static Object execute(BundleContext context, String command) throws Exception {
        // getAll...: the test's class space is not wired to Gogo's API package, so the plain lookup would filter it out.
        ServiceReference<?>[] refs = context.getAllServiceReferences(PROCESSOR, null);
        if (refs == null) {
            throw new AssertionError("no Gogo command processor in the host");
        }
        ServiceReference<?> ref = refs[0];
        Object processor = context.getService(ref);
        if (processor == null) {
            throw new AssertionError("the Gogo command processor went away");
        }
        try {
            Class<?> processorApi = ref.getBundle().loadClass(PROCESSOR);
            Class<?> sessionApi = ref.getBundle().loadClass(SESSION);
            Method create = processorApi.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err);
            try {
                return sessionApi.getMethod("execute", CharSequence.class).invoke(session, command);
            } catch (InvocationTargetException e) {
                throw new AssertionError("'" + command + "' failed: " + e.getCause() + " " + err, e.getCause());
            } finally {
                sessionApi.getMethod("close").invoke(session);
            }
        } finally {
            context.ungetService(ref);
        }
    }
}
