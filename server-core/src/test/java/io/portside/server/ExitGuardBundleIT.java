package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import io.portside.handler.api.Transport;

/**
 * The packaged server-core's exit guard on a real Felix: a bundle installed after server-core has its
 * {@code System.exit} rewritten as its classes load, although it imports nothing (the woven class gets a dynamic
 * import of the handler API); a deploy-folder bundle whose classes loaded before server-core started is refreshed,
 * so that they load again, checked; a class the guard cannot rewrite is refused without taking the guard out of
 * service. No class is run before it is seen to be rewritten (it would end the test JVM).
 */
class ExitGuardBundleIT {

    private static final String REFUSAL = "portside$refuseSystemExit";

    @Test
    void bundlesInstalledBeforeAndAfterServerCoreAreGuarded(@TempDir Path home) throws Exception {
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.fileinstall.dir", deploy.toString());
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            context.installBundle("reference:" + location(Transport.class).toUri()).start();
            for (Class<?> dsRuntime : new Class<?>[] {org.osgi.util.function.Function.class, org.osgi.util.promise.Promise.class,
                    org.osgi.service.component.ComponentContext.class, org.apache.felix.scr.info.ScrInfo.class}) {
                context.installBundle(location(dsRuntime).toUri().toString()).start();
            }
            for (Class<?> bouncyCastle : new Class<?>[] {org.bouncycastle.asn1.x509.Certificate.class,
                    org.bouncycastle.asn1.cms.ContentInfo.class, org.bouncycastle.openssl.PEMParser.class}) {
                context.installBundle(location(bouncyCastle).toUri().toString()); // server-core's TLS reads PEM with them
            }
            Bundle early = install(context, deploy.resolve("early.jar"), "io.example.early", 21);
            assertFalse(isRewritten(early.loadClass("io.example.early.Exit")), "loaded before the guard: not rewritten");

            Path core = Path.of(System.getProperty("portside.bundle", "target/server-core.jar"));
            context.installBundle(core.toUri().toString()).start();

            Bundle late = install(context, Files.createDirectories(home.resolve("elsewhere")).resolve("late.jar"), "io.example.late", 22);
            // A class the guard cannot rewrite is refused, and the guard stays in service for the next class.
            assertThrows(ClassFormatError.class, () -> late.loadClass("io.example.late.Old"));
            assertRefused(late, "System.exit(22) called by bundle io.example.late 1.0.0; refused: a handler cannot stop the host");

            awaitRewritten(early);
            assertRefused(early, "System.exit(21) called by bundle io.example.early 1.0.0; refused: a handler cannot stop the host");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    private static void assertRefused(Bundle bundle, String message) throws Exception {
        Class<?> exit = bundle.loadClass(bundle.getSymbolicName() + ".Exit");
        assertTrue(isRewritten(exit), "rewritten before it runs");
        Runnable runnable = (Runnable) exit.getConstructor().newInstance();
        Throwable refused = assertThrows(Throwable.class, runnable::run);
        assertEquals("io.portside.handler.api.ServerExit", refused.getClass().getName(), String.valueOf(refused));
        assertEquals(message, refused.getMessage());
    }

    private static boolean isRewritten(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(REFUSAL::equals);
    }

    /** Writes a bundle that imports nothing, with one class whose run() calls System.exit(status), and starts it. */
    private static Bundle install(BundleContext context, Path jar, String symbolicName, int status) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
        String className = symbolicName.replace('.', '/') + "/Exit";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(className + ".class"));
            jarOut.write(exitClass(className, status));
            jarOut.closeEntry();
            String old = symbolicName.replace('.', '/') + "/Old";
            jarOut.putNextEntry(new JarEntry(old + ".class"));
            jarOut.write(java7InterfaceThatExits(old));
            jarOut.closeEntry();
        }
        Bundle bundle = context.installBundle(jar.toUri().toString());
        bundle.start();
        return bundle;
    }

    private static byte[] exitClass(String internalName, int status) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", new String[] {"java/lang/Runnable"});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor run = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        run.visitIntInsn(Opcodes.BIPUSH, status);
        run.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** An interface of class-file version 51 has no room for the refusal method (no static methods before Java 8). */
    private static byte[] java7InterfaceThatExits(String internalName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_7, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE, internalName, null, "java/lang/Object", null);
        MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitInsn(Opcodes.ICONST_1);
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Waits (at most 20 s) until the bundle's class, loaded afresh, is the rewritten one; a refresh takes a moment. */
    private static void awaitRewritten(Bundle bundle) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (bundle.getState() == Bundle.ACTIVE && isRewritten(bundle.loadClass(bundle.getSymbolicName() + ".Exit"))) {
                    return;
                }
            } catch (ClassNotFoundException | IllegalStateException e) {
                // being refreshed
            }
            Thread.sleep(50);
        }
        throw new AssertionError(bundle.getSymbolicName() + " was not refreshed: its class is still the one loaded before the guard");
    }
}
