import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

class Lookups {
    private static final Logger LOG = Logger.getLogger("x");

    String find(Map<String, String> m, String k) {
        // ruleid: java-broad-catch-swallowed
        try {
            return m.get(k).trim();
        } catch (Exception e) {
            return null;
        }
    }

    boolean run(Runnable r) {
        // ruleid: java-broad-catch-swallowed
        try {
            r.run();
            return true;
        } catch (Throwable t) {
            LOG.warning("run failed");
            return false;
        }
    }

    String ok1(Map<String, String> m, String k) {
        // ok: java-broad-catch-swallowed
        try {
            return m.get(k).trim();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "lookup failed", e);
            return null;
        }
    }

    void ok2(Runnable r) {
        // ok: java-broad-catch-swallowed
        try {
            r.run();
        } catch (RuntimeException e) {
            cleanup();
            throw e;
        }
    }

    Integer ok3(String s) {
        // ok: java-broad-catch-swallowed
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void cleanup() {}
}

class Fallbacks {
    Object impl() {
        Object o;
        // ok: java-broad-catch-swallowed
        try {
            o = Class.forName("a.B").getDeclaredConstructor().newInstance();
        } catch (Exception e) {
            o = new Object();
        }
        return o;
    }
}

class Probe {
    boolean visible(ClassLoader cl, String name) {
        boolean ok;
        // ok: java-broad-catch-swallowed
        try {
            ok = cl.loadClass(name) != null;
        } catch (Throwable t) {
            ok = false; // the loader cannot see the class
        }
        return ok;
    }
}
