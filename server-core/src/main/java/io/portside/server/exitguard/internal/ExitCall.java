package io.portside.server.exitguard.internal;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;

/**
 * The JDK methods that end the whole JVM, as bytecode names them, and the refusal each is rewritten into: a private
 * static method of the calling class with the same stack effect (a virtual call's receiver becomes its first
 * argument), so a call site keeps its length and its stack map frames.
 */
enum ExitCall {
    SYSTEM_EXIT("java/lang/System", "exit", Opcodes.H_INVOKESTATIC, "System.exit", "portside$refuseSystemExit", "(I)V"),
    RUNTIME_EXIT("java/lang/Runtime", "exit", Opcodes.H_INVOKEVIRTUAL, "Runtime.exit", "portside$refuseRuntimeExit",
            "(Ljava/lang/Runtime;I)V"),
    RUNTIME_HALT("java/lang/Runtime", "halt", Opcodes.H_INVOKEVIRTUAL, "Runtime.halt", "portside$refuseRuntimeHalt",
            "(Ljava/lang/Runtime;I)V");

    /** Every one of them takes the exit status and returns nothing. */
    static final String DESCRIPTOR = "(I)V";

    final String owner;
    final String name;
    /** {@link Opcodes#H_INVOKESTATIC} or {@link Opcodes#H_INVOKEVIRTUAL}: how a method handle refers to it. */
    final int handleKind;
    /** How a message names it: {@code System.exit}. */
    final String displayName;
    final String refusalName;
    final String refusalDescriptor;

    ExitCall(String owner, String name, int handleKind, String displayName, String refusalName, String refusalDescriptor) {
        this.owner = owner;
        this.name = name;
        this.handleKind = handleKind;
        this.displayName = displayName;
        this.refusalName = refusalName;
        this.refusalDescriptor = refusalDescriptor;
    }

    /** The exit call an instruction names, or null. */
    static ExitCall of(String owner, String name, String descriptor) {
        if (!DESCRIPTOR.equals(descriptor)) {
            return null;
        }
        for (ExitCall call : values()) {
            if (call.owner.equals(owner) && call.name.equals(name)) {
                return call;
            }
        }
        return null;
    }

    /** The exit call a method handle refers to, or null. */
    static ExitCall of(Handle handle) {
        ExitCall call = of(handle.getOwner(), handle.getName(), handle.getDesc());
        return call != null && call.handleKind == handle.getTag() ? call : null;
    }

    /** True if the receiver is an argument of the call ({@code Runtime.exit}, {@code Runtime.halt}). */
    boolean isVirtual() {
        return handleKind == Opcodes.H_INVOKEVIRTUAL;
    }
}
