package io.portside.server.exitguard.internal;

import java.util.EnumSet;
import java.util.Set;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites every reference to an {@link ExitCall} in one class into a call of a refusal method that it adds to the
 * class: {@code invokestatic}/{@code invokevirtual} instructions, and method handle constants wherever they occur
 * ({@code ldc}, bootstrap arguments of {@code invokedynamic}, e.g. {@code System::exit}, and dynamic constants).
 */
final class ExitCallVisitor extends ClassVisitor {

    private final String bundle;
    private final Set<ExitCall> used = EnumSet.noneOf(ExitCall.class);
    private String className;
    private boolean isInterface;
    private int version;
    private int rewritten;

    /** @param bundle how a refusal names the bundle: {@code io.example.bad 1.0.0} */
    ExitCallVisitor(ClassVisitor next, String bundle) {
        super(Opcodes.ASM9, next);
        this.bundle = bundle;
    }

    /** How many references were rewritten. */
    int rewritten() {
        return rewritten;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.version = version;
        this.className = name;
        this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new CallSites(super.visitMethod(access, name, descriptor, signature, exceptions));
    }

    @Override
    public void visitEnd() {
        for (ExitCall call : used) {
            RefusalMethod.add(cv, call, bundle, refusalAccess());
        }
        super.visitEnd();
    }

    private int refusalAccess() {
        if (!isInterface || (version & 0xFFFF) >= Opcodes.V9) {
            return Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
        }
        return Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC; // Java 8 interfaces have no private methods
    }

    private ExitCall use(ExitCall call) {
        if (isInterface && (version & 0xFFFF) < Opcodes.V1_8) {
            throw new UnguardableClassException("an interface of class-file version " + (version & 0xFFFF)
                    + " calls " + call.displayName + " and cannot hold the static method that refuses it");
        }
        used.add(call);
        rewritten++;
        return call;
    }

    private Handle refusalHandle(ExitCall call) {
        return new Handle(Opcodes.H_INVOKESTATIC, className, call.refusalName, call.refusalDescriptor, isInterface);
    }

    /** A constant with every exit handle in it replaced; the same object when there is none. */
    private Object rewriteConstant(Object value) {
        if (value instanceof Handle handle) {
            ExitCall call = ExitCall.of(handle);
            return call == null ? handle : refusalHandle(use(call));
        }
        if (value instanceof ConstantDynamic condy) {
            Object[] args = rewriteConstants(bootstrapArguments(condy));
            Handle bootstrap = (Handle) rewriteConstant(condy.getBootstrapMethod());
            return new ConstantDynamic(condy.getName(), condy.getDescriptor(), bootstrap, args);
        }
        return value;
    }

    private Object[] rewriteConstants(Object[] values) {
        Object[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = rewriteConstant(out[i]);
        }
        return out;
    }

    private static Object[] bootstrapArguments(ConstantDynamic condy) {
        Object[] args = new Object[condy.getBootstrapMethodArgumentCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = condy.getBootstrapMethodArgument(i);
        }
        return args;
    }

    /** One method's instructions. */
    private final class CallSites extends MethodVisitor {

        CallSites(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
            ExitCall call = ExitCall.of(owner, name, descriptor);
            boolean matches = call != null && opcode == (call.isVirtual() ? Opcodes.INVOKEVIRTUAL : Opcodes.INVOKESTATIC);
            if (matches) {
                use(call);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, className, call.refusalName, call.refusalDescriptor, isInterface);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, itf);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            super.visitInvokeDynamicInsn(name, descriptor, (Handle) rewriteConstant(bootstrap), rewriteConstants(arguments));
        }

        @Override
        public void visitLdcInsn(Object value) {
            super.visitLdcInsn(rewriteConstant(value));
        }
    }
}
