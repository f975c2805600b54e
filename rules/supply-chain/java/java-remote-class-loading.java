import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;

class Plugins {
    ClassLoader bad() throws Exception {
        // ruleid: java-remote-class-loading
        return new URLClassLoader(new URL[]{new URL("http://plugins.example.com/plugin.jar")});
    }

    ClassLoader bad2(ClassLoader parent) throws Exception {
        // ruleid: java-remote-class-loading
        return URLClassLoader.newInstance(new URL[]{new URL("https://cdn.example.com/x.jar")}, parent);
    }

    ClassLoader good(File jar) throws Exception {
        // ok: java-remote-class-loading
        return new URLClassLoader(new URL[]{jar.toURI().toURL()});
    }

    ClassLoader good2() throws Exception {
        // ok: java-remote-class-loading
        return new URLClassLoader(new URL[]{new URL("file:///opt/app/plugins/x.jar")});
    }
}
