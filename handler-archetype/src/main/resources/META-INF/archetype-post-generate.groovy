// Keeps the sources of the chosen variant (-Dvariant=handler, the default, or -Dvariant=policy) and removes the
// other's: an archetype copies every file of its template, so the choice is made here, after generation.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

def variant = request.properties.get('variant') ?: 'handler'
Path project = Paths.get(request.outputDirectory, request.artifactId)
Path packageDir = Paths.get(request.packageName.replace('.', '/'))
def handlerFiles = ['ShoutService.java', 'ShoutHandler.java', 'ShoutHandlerTest.java']
def policyFiles = ['AllowListPolicy.java', 'AllowListPolicyTest.java']
def unused = variant == 'policy' ? handlerFiles : policyFiles
for (String name : unused) {
    for (String root : ['src/main/java', 'src/test/java']) {
        Files.deleteIfExists(project.resolve(root).resolve(packageDir).resolve(name))
    }
}
Path cfg = project.resolve('cfg')
def unusedCfg = variant == 'policy' ? { String n -> n.endsWith('.shout.cfg') } : { String n -> !n.endsWith('.shout.cfg') }
Files.list(cfg).withCloseable { files ->
    files.filter { unusedCfg(it.fileName.toString()) }.toList().each { Files.delete(it) }
}
