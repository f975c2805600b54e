import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class Store {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    void save(Path p, byte[] data) {
        // ruleid: java-printstacktrace-only
        try {
            Files.write(p, data);
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    void load(Path p) {
        // ruleid: java-printstacktrace-only
        try {
            Files.readAllBytes(p);
        } catch (Exception ex) {
            ex.printStackTrace();
        }
    }

    void good(Path p, byte[] data) {
        // ok: java-printstacktrace-only
        try {
            Files.write(p, data);
        } catch (IOException e) {
            log.error("could not save {}", p, e);
        }
    }

    void good2(Path p, byte[] data) throws IOException {
        // ok: java-printstacktrace-only
        try {
            Files.write(p, data);
        } catch (IOException e) {
            e.printStackTrace();
            throw e;
        }
    }

    public static void main(String[] args) {
        // ok: java-printstacktrace-only
        try {
            Files.readAllBytes(Path.of(args[0]));
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
