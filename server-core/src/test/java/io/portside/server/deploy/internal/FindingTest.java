package io.portside.server.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The one line an operator reads for an untrusted path. */
class FindingTest {

    @Test
    void describesThePathWhyAndTheFix() {
        Finding f = new Finding(Path.of("/srv/run/deploy"), Distrust.WRITABLE_BY_OTHERS, "is writable by every user", "chmod o-w /srv/run/deploy");
        assertEquals("/srv/run/deploy is writable by every user; fix: chmod o-w /srv/run/deploy", f.describe());
    }

    @Test
    void withoutAFixSaysOnlyWhy() {
        Finding f = new Finding(Path.of("/srv/run/deploy/a.jar"), Distrust.UNCHECKABLE, "cannot be checked (gone)", null);
        assertEquals("/srv/run/deploy/a.jar cannot be checked (gone)", f.describe());
    }
}
