// Prints each file's key -> value map as java.util.Properties.load reads it, as one JSON object per line,
// so that the TypeScript reader can be compared with the JDK's own on real files.
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.TreeSet;

public class PropertiesDump {
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        for (String path : args) {
            Properties p = new Properties();
            try (Reader r = new InputStreamReader(Files.newInputStream(Paths.get(path)), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            StringBuilder out = new StringBuilder("{");
            boolean first = true;
            for (String k : new TreeSet<>(p.stringPropertyNames())) {
                if (!first) out.append(',');
                first = false;
                out.append(json(k)).append(':').append(json(p.getProperty(k)));
            }
            System.out.println(out.append('}'));
        }
    }
}
