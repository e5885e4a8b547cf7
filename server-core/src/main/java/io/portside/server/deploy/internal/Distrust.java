package io.portside.server.deploy.internal;

/** Why a file or folder of the deploy chain is not trusted to say what code the host runs. */
enum Distrust {
    /** Any user on the machine can write it: anyone could add or replace code. */
    WRITABLE_BY_OTHERS,
    /** Its owner is neither the host's user nor root: that user could add or replace code. */
    OWNED_BY_ANOTHER_USER,
    /** Its owner and mode cannot be read (it vanished, or the file system refuses). */
    UNCHECKABLE
}
