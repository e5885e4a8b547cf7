package io.portside.server.exitguard.internal;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * Rewrites the calls to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in one class file into a
 * throw of {@code ServerExit} (see {@link ExitCallVisitor}). Classes that name none of them are recognised from their
 * constant pool alone and come back untouched.
 */
final class ExitCallRewriter {

    /** The class after rewriting; {@code bytes} is the very input array when {@code rewritten} is 0. */
    record Result(byte[] bytes, int rewritten) {
    }

    private static final int CONSTANT_METHODREF = 10;

    private ExitCallRewriter() {
    }

    /**
     * @param bundle how the refusal names the calling bundle, e.g. {@code io.example.bad 1.0.0}
     * @throws UnguardableClassException if the class cannot be read or cannot hold the refusal
     */
    static Result rewrite(byte[] classFile, String bundle) {
        ClassReader reader = reader(classFile);
        if (!namesAnExitCall(reader)) {
            return new Result(classFile, 0);
        }
        // Same stack effect at every call site, so the reader's frames and max stack sizes stay valid: no
        // COMPUTE_FRAMES, which would load classes from inside the weaving hook.
        ClassWriter writer = new ClassWriter(reader, 0);
        ExitCallVisitor visitor = new ExitCallVisitor(writer, bundle);
        accept(reader, visitor);
        return visitor.rewritten() == 0 ? new Result(classFile, 0) : new Result(writer.toByteArray(), visitor.rewritten());
    }

    /** How many references {@link #rewrite} would rewrite. */
    static int count(byte[] classFile) {
        ClassReader reader = reader(classFile);
        if (!namesAnExitCall(reader)) {
            return 0;
        }
        ExitCallVisitor visitor = new ExitCallVisitor(null, "");
        accept(reader, visitor);
        return visitor.rewritten();
    }

    private static ClassReader reader(byte[] classFile) {
        try {
            return new ClassReader(classFile);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new UnguardableClassException("cannot read it: " + e.getMessage(), e); // e.g. "Unsupported class file major version 72"
        }
    }

    private static void accept(ClassReader reader, ExitCallVisitor visitor) {
        try {
            reader.accept(visitor, 0);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new UnguardableClassException("cannot read it: " + e, e);
        }
    }

    /** True if the constant pool has a method reference to one of the exit calls (instructions and handles use one). */
    static boolean namesAnExitCall(ClassReader reader) {
        char[] buffer = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset == 0 || reader.readByte(offset - 1) != CONSTANT_METHODREF) {
                continue; // the unused slot after a long or double, or not a method reference
            }
            String owner = reader.readClass(offset, buffer);
            int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
            if (ExitCall.of(owner, reader.readUTF8(nameAndType, buffer), reader.readUTF8(nameAndType + 2, buffer)) != null) {
                return true;
            }
        }
        return false;
    }
}
