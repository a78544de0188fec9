// Checks cipher-suite and protocol lists against the running JDK the way Synapse's PassThrough transport uses
// them: every name must be one the JDK supports, and the whole list must pass SSLEngine.setEnabledCipherSuites
// (or setEnabledProtocols), which throws IllegalArgumentException for a single unknown name.
//
// Each argument is KIND:MODE:LABEL=LIST, KIND "suites" or "protocols", MODE "server" (a listener's engine) or
// "client" (a sender's), LIST comma-separated as written in axis2.xml (split on commas and trimmed, as Synapse
// does). One tab-separated line per argument:
//   LABEL  missing=<names the JDK does not support>  engine=ok|<exception>  enabled=<what the engine then enables>
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;

public class CipherCheck {
    public static void main(String[] args) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLServerSocketFactory factory = (SSLServerSocketFactory) SSLServerSocketFactory.getDefault();
        List<String> supportedSuites = Arrays.asList(factory.getSupportedCipherSuites());

        for (String arg : args) {
            String[] head = arg.split(":", 3);
            String kind = head[0];
            boolean client = head[1].equals("client");
            int eq = head[2].indexOf('=');
            String label = head[2].substring(0, eq);
            List<String> names = new ArrayList<>();
            for (String n : head[2].substring(eq + 1).split(",")) names.add(n.trim());
            String[] list = names.toArray(new String[0]);

            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(client);
            List<String> supported = kind.equals("suites") ? supportedSuites : Arrays.asList(engine.getSupportedProtocols());
            List<String> missing = new ArrayList<>();
            for (String n : names) if (!supported.contains(n)) missing.add(n);

            String result;
            String[] enabled;
            try {
                if (kind.equals("suites")) engine.setEnabledCipherSuites(list);
                else engine.setEnabledProtocols(list);
                result = "ok";
            } catch (IllegalArgumentException e) {
                result = e.toString();
            }
            enabled = kind.equals("suites") ? engine.getEnabledCipherSuites() : engine.getEnabledProtocols();
            System.out.println(label + "\tmissing=" + String.join(",", missing) + "\tengine=" + result + "\tenabled=" + String.join(",", enabled));
        }
    }
}
