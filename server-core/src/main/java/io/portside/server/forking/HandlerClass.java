package io.portside.server.forking;

import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Objects;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.handler.api.RequestHandlerFactory;

/**
 * What a worker process runs, named so another JVM can load it: Python passes {@code RequestHandlerClass} to the
 * forked child; a JVM worker gets the class's name and loads it. The class is either a handler (a
 * {@link BaseRequestHandler} subclass: a new instance per request) or a factory (a {@link RequestHandlerFactory}:
 * one instance per worker, {@code newHandler()} per request). Either needs a no-arg constructor, so it must be a
 * top-level or static nested class (not a lambda, not an inner class); it need not be public.
 *
 * @param className the binary class name ({@link Class#getName()})
 * @param classPath where to load it from in the worker, in a class loader whose parent sees the worker's class path
 *                  (handler-api and server-core); empty to load it from the worker's class path itself
 */
public record HandlerClass(String className, List<Path> classPath) {

    public HandlerClass {
        Objects.requireNonNull(className, "className");
        classPath = List.copyOf(classPath);
    }

    /**
     * The handler or factory class {@code type}, checked: it must be instantiable by name. When this JVM's class path
     * does not provide it (a plugin class loader), the worker loads it from where {@code type} was loaded.
     *
     * @throws IllegalArgumentException if {@code type} is neither a handler nor a factory, or has no no-arg constructor
     */
    public static HandlerClass of(Class<?> type) {
        check(type);
        return new HandlerClass(type.getName(), visibleToSystemLoader(type) ? List.of() : List.of(location(type)));
    }

    /** True for a handler class; false for a factory class. */
    static boolean isHandler(Class<?> type) {
        return BaseRequestHandler.class.isAssignableFrom(type);
    }

    static void check(Class<?> type) {
        if (!BaseRequestHandler.class.isAssignableFrom(type) && !RequestHandlerFactory.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is neither a BaseRequestHandler nor a RequestHandlerFactory");
        }
        if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is abstract: a worker cannot instantiate it");
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) || type.isLocalClass() || type.isAnonymousClass()
                || type.isSynthetic() || type.isHidden()) {
            throw new IllegalArgumentException(type.getName() + " is an inner, local, anonymous or lambda class: a worker process "
                    + "instantiates handler classes by name, so use a top-level or static nested class with a no-arg constructor");
        }
        try {
            type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no no-arg constructor: a worker process instantiates it by name");
        }
    }

    private static boolean visibleToSystemLoader(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, ClassLoader.getSystemClassLoader()) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Path location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        try {
            if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
                return Path.of(source.getLocation().toURI());
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // fall through
        }
        throw new IllegalArgumentException(type.getName() + " is not on the class path and its code source is not a file: give its "
                + "location explicitly with new HandlerClass(name, classPath)");
    }

    @Override
    public String toString() {
        return classPath.isEmpty() ? className : className + " from " + classPath;
    }
}
