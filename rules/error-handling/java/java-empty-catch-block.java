import java.io.Closeable;
import java.io.IOException;

class Catches {
    int parse(String s) {
        // ruleid: java-empty-catch-block
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {}
        return 0;
    }

    void save(Runnable r) {
        // ruleid: java-empty-catch-block
        try {
            r.run();
        } catch (Exception e) {
        }
    }

    void ok1(Runnable r) {
        // ok: java-empty-catch-block
        try {
            r.run();
        } catch (IllegalStateException ignored) {
        }
    }

    void ok2(Runnable r) {
        // ok: java-empty-catch-block
        try {
            r.run();
        } catch (IllegalStateException e) {
            // already stopped: nothing left to do
        }
    }

    void ok3(Closeable c) {
        // ok: java-empty-catch-block
        try {
            c.close();
        } catch (IOException e) {
        }
    }
}
