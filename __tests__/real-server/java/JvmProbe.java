// Prints the JVM flags harden writes as this JVM sees them, then serves TLS with the JDK's defaults so the test
// can check that JSSE honours them: the DHE group size (jdk.tls.ephemeralDHKeySize) and whether a client may
// renegotiate (jdk.tls.rejectClientInitiatedRenegotiation). Arguments: PKCS12 keystore path, its password.
// Every connection echoes what it reads; the JVM exits by itself after two minutes in case nobody stops it.
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

public class JvmProbe {
    private static final String[] PROPERTIES = {
        "jdk.tls.ephemeralDHKeySize",
        "jdk.tls.rejectClientInitiatedRenegotiation",
        "httpclient.hostnameVerifier",
        "org.wso2.ignoreHostnameVerification",
    };

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try { Thread.sleep(120_000); } catch (InterruptedException e) { return; }
            System.exit(3);
        });
        watchdog.setDaemon(true);
        watchdog.start();

        for (String name : PROPERTIES) {
            String value = System.getProperty(name);
            System.out.println(value == null ? "unset " + name : "property " + name + "=" + value);
        }
        char[] password = args[1].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[0])) { keys.load(in, password); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
            .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        System.out.println("protocols " + String.join(",", server.getEnabledProtocols()));
        System.out.println("suites " + String.join(",", server.getEnabledCipherSuites()));
        System.out.println("listening " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket socket = server.accept();
            Thread t = new Thread(() -> serve((SSLSocket) socket));
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(SSLSocket socket) {
        try (socket) {
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (Exception e) {
            System.out.println("connection-error " + e);
            System.out.flush();
        }
    }
}
