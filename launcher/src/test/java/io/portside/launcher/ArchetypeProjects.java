package io.portside.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes projects from this build's {@code handler-archetype} outside the reactor and builds them, as a handler author
 * would: {@code mvn archetype:generate}, then {@code mvn package}.
 *
 * <p>The shared {@code ~/.m2/repository} is never written. The Maven runs get a private local repository holding
 * only what this build made (the parent pom, handler-api, server-core, the archetype), placed as {@code mvn install}
 * would; everything else (plugins, JUnit, bnd) is read from {@code ~/.m2/repository}, which a settings file names as
 * a {@code file:} repository. {@code aether.offline.protocols=file} lets an offline run read it.
 */
final class ArchetypeProjects {

    /** The archetype plugin, named in full so that no plugin-prefix metadata is needed offline. */
    private static final String GENERATE = "org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate";
    private static final long MAVEN_TIMEOUT_SECONDS = 150;

    private final Path work;
    private final Path repo;
    private final Path settings;
    private final String version;

    private ArchetypeProjects(Path work, Path repo, Path settings, String version) {
        this.work = work;
        this.repo = repo;
        this.settings = settings;
        this.version = version;
    }

    /** Prepares the private repository and settings under {@code tmp}. */
    static ArchetypeProjects prepare(Path tmp) throws IOException {
        Path root = reactorRoot();
        Path api = classPathJar("handler-api-");
        String version = api.getFileName().toString().replaceFirst("^handler-api-", "").replaceFirst("\\.jar$", "");
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        install(repo, "portside", version, root.resolve("pom.xml"), null);
        install(repo, "handler-api", version, root.resolve("handler-api/pom.xml"), api);
        install(repo, "server-core", version, root.resolve("server-core/pom.xml"), classPathJar("server-core-"));
        install(repo, "handler-archetype", version, root.resolve("handler-archetype/pom.xml"), classPathJar("handler-archetype-"));
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, settingsXml(sharedRepository()));
        return new ArchetypeProjects(Files.createDirectories(tmp.resolve("work")), repo, settings, version);
    }

    /** {@code mvn archetype:generate} for {@code com.example:artifactId}; the extra {@code -Dkey=value} pick the variant. */
    Path generate(String artifactId, String... properties) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(GENERATE, "-DarchetypeCatalog=local", "-DarchetypeGroupId=io.portside",
                "-DarchetypeArtifactId=handler-archetype", "-DarchetypeVersion=" + version, "-DgroupId=com.example",
                "-DartifactId=" + artifactId, "-Dversion=1.0.0", "-Dpackage=com.example." + artifactId));
        args.addAll(List.of(properties));
        maven(work, args);
        return work.resolve(artifactId);
    }

    /** {@code mvn package} in {@code project}; returns its bundle. */
    Path build(Path project) throws IOException, InterruptedException {
        maven(project, List.of("package"));
        return project.resolve("target/" + project.getFileName() + "-1.0.0.jar");
    }

    private void maven(Path dir, List<String> goals) throws IOException, InterruptedException {
        // Online by default: what ~/.m2 lacks on a fresh machine (a plugin Portside's own build never needed) comes from
        // Maven Central into the private repository, never into ~/.m2. -Dportside.it.offline=true forbids that.
        List<String> command = new ArrayList<>(List.of(System.getProperty("portside.it.mvn", "mvn"), "-B",
                "-Dstyle.color=never", "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
                "-Daether.offline.protocols=file"));
        if (Boolean.getBoolean("portside.it.offline")) {
            command.add(2, "-o");
        }
        command.addAll(goals);
        Path log = Files.createTempFile(work, "mvn-", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(MAVEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took over " + MAVEN_TIMEOUT_SECONDS + " s:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " in " + dir + " exited with " + p.exitValue() + ":\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Puts a pom (and jar) where {@code mvn install} would; untracked files count as installed locally. */
    private static void install(Path repo, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(repo.resolve("io/portside").resolve(artifactId).resolve(version));
        String base = artifactId + "-" + version;
        Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The project root: failsafe runs in the launcher module's folder. */
    private static Path reactorRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("handler-archetype/pom.xml"))) {
            throw new IllegalStateException("not run from the launcher module of a Portside checkout: " + root);
        }
        return root;
    }

    /** A jar this build made, as the reactor put it on the test class path (handler-api, server-core, the archetype). */
    private static Path classPathJar(String prefix) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (name.startsWith(prefix) && name.endsWith(".jar") && !name.contains("-all") && Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no " + prefix + "*.jar on the test class path; run through Maven's verify phase");
    }

    private static Path sharedRepository() {
        return Path.of(System.getProperty("portside.it.m2", System.getProperty("user.home") + "/.m2/repository"));
    }

    private static String settingsXml(Path shared) {
        String url = shared.toUri().toString();
        String repository = "<id>shared-local</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
        return """
                <settings>
                  <profiles><profile><id>shared-local</id>
                    <repositories><repository>%s</repository></repositories>
                    <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>shared-local</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository);
    }
}
