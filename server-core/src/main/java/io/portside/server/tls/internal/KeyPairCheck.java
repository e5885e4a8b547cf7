package io.portside.server.tls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Whether a private key belongs to a certificate's public key, by signing a sample and verifying it: one test for every
 * key type (RSA, EC, EdDSA) instead of comparing each type's numbers, and the very operation a handshake will need.
 */
final class KeyPairCheck {

    private static final byte[] SAMPLE = "portside: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    /** True when the pair signs and verifies; false when it does not or the type is unknown. */
    static boolean matches(PrivateKey key, PublicKey certified) {
        String algorithm = signatureFor(certified.getAlgorithm());
        if (algorithm == null || !sameFamily(key.getAlgorithm(), certified.getAlgorithm())) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(SAMPLE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(SAMPLE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The JDK's key algorithm names in the family a TLS key manager asks for ("RSA", "EC", "EdDSA"). */
    static String family(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> keyAlgorithm;
        };
    }

    private static boolean sameFamily(String a, String b) {
        return family(a).equals(family(b));
    }

    private static String signatureFor(String keyAlgorithm) {
        return switch (family(keyAlgorithm)) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA" -> "EdDSA"; // the JDK picks Ed25519 or Ed448 from the key
            default -> null;
        };
    }
}
