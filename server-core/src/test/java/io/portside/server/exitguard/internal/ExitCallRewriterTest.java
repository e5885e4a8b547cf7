package io.portside.server.exitguard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import io.portside.handler.api.ServerExit;

/**
 * Classes compiled with exit calls in every form javac (or a bytecode generator) emits are rewritten, defined from
 * the rewritten bytes and run: each throws {@link ServerExit} with a message naming the call, its status and the
 * bundle, and the test JVM keeps running (before the rewriting, each would end it).
 */
class ExitCallRewriterTest {

    private static final String BUNDLE = "io.example.bad 1.0.0";
    private static final String REFUSED = " called by bundle io.example.bad 1.0.0; refused: a handler cannot stop the host";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SystemExit       | System.exit(3)",
        "RuntimeExit      | Runtime.exit(4)",
        "RuntimeHalt      | Runtime.halt(5)",
        "InLambda         | System.exit(6)",
        "StaticReference  | System.exit(7)",
        "BoundReference   | Runtime.halt(8)",
        "UnboundReference | Runtime.exit(9)",
        "OnABranch        | System.exit(10)",
        "ViaInterface     | System.exit(11)",
    })
    void compiledExitCallsThrowServerExit(String caller, String call) throws Exception {
        ServerExit refused = assertThrows(ServerExit.class, () -> run(ExitCallers.class.getName() + "$" + caller));
        assertEquals(call + REFUSED, refused.getMessage());
    }

    @Test
    void eachFormIsCountedOnce() throws IOException {
        assertEquals(1, rewrite("SystemExit").rewritten());
        assertEquals(1, rewrite("BoundReference").rewritten());
        assertEquals(1, rewrite("InLambda").rewritten(), "the lambda body's call");
        assertEquals(1, ExitCallRewriter.count(original("StaticReference")));
    }

    @Test
    void classesWithoutExitCallsComeBackUntouched() throws IOException {
        byte[] lookAlike = original("LookAlike");
        ExitCallRewriter.Result result = ExitCallRewriter.rewrite(lookAlike, BUNDLE);
        assertSame(lookAlike, result.bytes());
        assertEquals(0, result.rewritten());
        assertEquals(0, ExitCallRewriter.count(lookAlike));
    }

    @Test
    void aMethodHandleConstantIsRewritten() throws Exception {
        byte[] generated = runnable("gen/LdcHandle", mv -> {
            mv.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/System", "exit", "(I)V", false));
            mv.visitIntInsn(Opcodes.BIPUSH, 14);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", "(I)V", false);
        });
        ServerExit refused = assertThrows(ServerExit.class, () -> run("gen.LdcHandle", generated));
        assertEquals("System.exit(14)" + REFUSED, refused.getMessage());
    }

    @Test
    void aHandleInADynamicConstantIsRewritten() throws Exception {
        Handle invoke = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps", "invoke",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;", false);
        Handle halt = new Handle(Opcodes.H_INVOKEVIRTUAL, "java/lang/Runtime", "halt", "(I)V", false);
        // The constant's value is Runtime.halt(runtime, 15), computed when the ldc first runs.
        Handle getRuntime = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/Runtime", "getRuntime", "()Ljava/lang/Runtime;", false);
        ConstantDynamic runtime = new ConstantDynamic("runtime", "Ljava/lang/Runtime;", invoke, getRuntime);
        ConstantDynamic halted = new ConstantDynamic("halted", "Ljava/lang/Object;", invoke, halt, runtime, 15);
        byte[] generated = runnable("gen/Condy", mv -> {
            mv.visitLdcInsn(halted);
            mv.visitInsn(Opcodes.POP);
        });
        Throwable thrown = assertThrows(Throwable.class, () -> run("gen.Condy", generated));
        Throwable cause = thrown instanceof ServerExit ? thrown : thrown.getCause(); // a BootstrapMethodError may wrap it
        assertTrue(cause instanceof ServerExit, String.valueOf(thrown));
        assertEquals("Runtime.halt(15)" + REFUSED, cause.getMessage());
    }

    @Test
    void aJava7InterfaceThatCallsExitIsRefused() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_7, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE, "gen/Old", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        UnguardableClassException e = assertThrows(UnguardableClassException.class, () -> ExitCallRewriter.rewrite(cw.toByteArray(), BUNDLE));
        assertTrue(e.getMessage().contains("calls System.exit"), e.getMessage());
    }

    @Test
    void aClassFileTooNewToReadIsRefused() throws IOException {
        byte[] bytes = original("SystemExit");
        bytes[6] = 0;
        bytes[7] = (byte) 200; // major version 200
        UnguardableClassException e = assertThrows(UnguardableClassException.class, () -> ExitCallRewriter.rewrite(bytes, BUNDLE));
        assertTrue(e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void theRewrittenClassIsANewArray() throws IOException {
        byte[] bytes = original("SystemExit");
        assertNotSame(bytes, ExitCallRewriter.rewrite(bytes, BUNDLE).bytes());
    }

    // ------------------------------------------------------------------ helpers

    private static ExitCallRewriter.Result rewrite(String caller) throws IOException {
        return ExitCallRewriter.rewrite(original(caller), BUNDLE);
    }

    private static byte[] original(String caller) throws IOException {
        return classFile(ExitCallers.class.getName() + "$" + caller);
    }

    private static byte[] classFile(String name) throws IOException {
        try (InputStream in = ExitCallRewriterTest.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException("no class file for " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Defines {@code name} (and the other ExitCallers classes it uses) from rewritten bytes, and runs it. */
    private static void run(String name) throws Exception {
        run(name, null);
    }

    private static void run(String name, byte[] generated) throws Exception {
        Rewriting loader = new Rewriting(name, generated);
        java.lang.reflect.Constructor<?> constructor = loader.loadClass(name).getDeclaredConstructor();
        constructor.setAccessible(true); // package-private, and in another runtime package (another loader)
        ((Runnable) constructor.newInstance()).run();
    }

    private interface Body {
        void write(MethodVisitor mv);
    }

    /** A public Runnable whose run() is {@code body}, as Java 17 class-file bytes. */
    private static byte[] runnable(String internalName, Body body) {
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
        body.write(run);
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Loads the ExitCallers classes (and one generated class) from rewritten bytes; everything else from its parent. */
    private static final class Rewriting extends ClassLoader {
        private final Map<String, byte[]> generated = new HashMap<>();

        Rewriting(String name, byte[] bytes) {
            super("rewriting", ExitCallRewriterTest.class.getClassLoader());
            if (bytes != null) {
                generated.put(name, bytes);
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                if (!generated.containsKey(name) && !name.startsWith(ExitCallers.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                try {
                    byte[] original = generated.containsKey(name) ? generated.get(name) : classFile(name);
                    byte[] rewritten = ExitCallRewriter.rewrite(original, BUNDLE).bytes();
                    if (ExitCallRewriter.count(rewritten) != 0) {
                        throw new AssertionError(name + " still calls an exit after rewriting; not running it (it would end the test JVM)");
                    }
                    return defineClass(name, rewritten, 0, rewritten.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
