import java.io.IOException;

class Setup {
    void bad() throws IOException {
        // ruleid: java-runtime-package-install
        Runtime.getRuntime().exec("pip install requests");
    }

    Process bad2() throws IOException {
        // ruleid: java-runtime-package-install
        return new ProcessBuilder("npm", "install", "left-pad").start();
    }

    void good() throws IOException {
        // ok: java-runtime-package-install
        Runtime.getRuntime().exec("ls -l");
    }

    Process good2() throws IOException {
        // ok: java-runtime-package-install
        return new ProcessBuilder("git", "rev-parse", "HEAD").start();
    }
}
