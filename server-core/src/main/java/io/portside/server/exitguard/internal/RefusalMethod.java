package io.portside.server.exitguard.internal;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Writes the method an {@link ExitCall} is rewritten into. For {@code System.exit} it is, in Java:
 * <pre>{@code
 * private static void portside$refuseSystemExit(int status) {
 *     throw new ServerExit("System.exit(" + status + ") called by bundle io.example.bad 1.0.0; refused: a handler cannot stop the host");
 * }
 * }</pre>
 * It has no branch, so it needs no stack map frame, and the caller's frames stay valid.
 */
final class RefusalMethod {

    /** What a woven class needs to see: {@code ServerExit}'s package. */
    static final String API_PACKAGE = "io.portside.handler.api";
    static final String SERVER_EXIT = "io/portside/handler/api/ServerExit";
    static final String REFUSED = "; refused: a handler cannot stop the host";

    private static final String BUILDER = "java/lang/StringBuilder";

    private RefusalMethod() {
    }

    /** The message a refused call throws: {@code System.exit(3) called by bundle io.example.bad 1.0.0; refused: ...}. */
    static String message(ExitCall call, int status, String bundle) {
        return call.displayName + "(" + status + ") called by bundle " + bundle + REFUSED;
    }

    static void add(ClassVisitor cv, ExitCall call, String bundle, int access) {
        if (cv == null) {
            return; // only counting
        }
        MethodVisitor mv = cv.visitMethod(access, call.refusalName, call.refusalDescriptor, null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, SERVER_EXIT);
        mv.visitInsn(Opcodes.DUP);
        mv.visitTypeInsn(Opcodes.NEW, BUILDER);
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn(call.displayName + "(");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, BUILDER, "<init>", "(Ljava/lang/String;)V", false);
        int status = call.isVirtual() ? 1 : 0; // local 0 is the Runtime receiver of Runtime.exit/halt
        mv.visitVarInsn(Opcodes.ILOAD, status);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUILDER, "append", "(I)L" + BUILDER + ";", false);
        mv.visitLdcInsn(") called by bundle " + bundle + REFUSED);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUILDER, "append", "(Ljava/lang/String;)L" + BUILDER + ";", false);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUILDER, "toString", "()Ljava/lang/String;", false);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SERVER_EXIT, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        // Stack: ServerExit, ServerExit, StringBuilder, StringBuilder, String.
        mv.visitMaxs(5, status + 1);
        mv.visitEnd();
    }
}
