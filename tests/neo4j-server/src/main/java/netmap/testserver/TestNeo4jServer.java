package netmap.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j Community for netmap's tests: the embedded database with its Bolt connector on
 * 127.0.0.1 and authentication on, a user of its own, and one line on stdout once Bolt
 * answers:
 *
 * <pre>NETMAP_TEST_NEO4J_URI=bolt://USER:PASSWORD@127.0.0.1:PORT</pre>
 *
 * <p>It runs until SIGTERM (or SIGINT), then shuts the database down cleanly. Arguments:
 *
 * <ul>
 *   <li>{@code --port N}: the Bolt port (default: a free one the system picks);
 *   <li>{@code --home DIR}: keep the server's files (data, transaction logs, its own logs)
 *       in DIR and leave them there on stop, to restart on the same data; without it they go
 *       to a new temporary folder that is deleted on stop;
 *   <li>{@code --user NAME}, {@code --password TEXT}: the account to create (default
 *       {@code netmap} and a random password);
 *   <li>{@code --setting key=value}: any Neo4j setting, e.g. {@code
 *       server.memory.pagecache.size=512m} or {@code db.memory.transaction.total.max=4g}.
 * </ul>
 *
 * Everything else it says goes to stderr; its own log is {@code HOME/logs/debug.log}.
 */
public final class TestNeo4jServer {
  private static final String LOOPBACK = "127.0.0.1";
  // Bolt's handshake: the magic preamble, then four protocol versions the client offers
  // (here 5.0-5.4, then 4.4); a server that speaks Bolt answers with the version it picks.
  private static final byte[] BOLT_HANDSHAKE = {
    0x60, 0x60, (byte) 0xB0, 0x17, 0, 4, 4, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private TestNeo4jServer() {}

  public static void main(String[] args) throws Exception {
    int port = 0;
    Path home = null;
    String user = "netmap";
    String password = null;
    Map<String, String> settings = new HashMap<>();
    // Modest by default: tests need little, and CI shares two cores and the memory with
    // Python and Chromium. The heap itself is set by ./start (NETMAP_TEST_NEO4J_HEAP).
    settings.put("server.memory.pagecache.size", "256m");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(require(args[i], value));
        case "--home" -> home = Path.of(require(args[i], value)).toAbsolutePath();
        case "--user" -> user = require(args[i], value);
        case "--password" -> password = require(args[i], value);
        case "--setting" -> {
          String[] pair = require(args[i], value).split("=", 2);
          if (pair.length != 2) {
            fail("--setting takes key=value, not " + value);
          }
          settings.put(pair[0], pair[1]);
        }
        default -> fail("unknown argument " + args[i] + " (see TestNeo4jServer's javadoc)");
      }
      i++;
    }
    if (port == 0) {
      port = freePort();
    }
    if (password == null) {
      password = randomPassword();
    }
    boolean temporary = home == null;
    Path serverHome = temporary ? Files.createTempDirectory("netmap-neo4j-") : home;
    Files.createDirectories(serverHome);

    // Quiet stdout: the one line below is what callers wait for and read.
    PrintStream out = System.out;
    System.setOut(System.err);

    // Settings travel as a neo4j.conf of the server's own, written on every start.
    Path conf = serverHome.resolve("neo4j.conf");
    StringBuilder lines = new StringBuilder();
    settings.forEach((key, setting) -> lines.append(key).append('=').append(setting).append('\n'));
    Files.writeString(conf, lines.toString(), StandardCharsets.UTF_8);

    DatabaseManagementService service =
        new DatabaseManagementServiceBuilder(serverHome)
            .loadPropertiesFromFile(conf)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, port))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println("neo4j-server: stopping");
                  service.shutdown();
                  if (temporary) {
                    deleteTree(serverHome);
                  }
                  System.err.println("neo4j-server: stopped");
                  stopped.countDown();
                },
                "netmap-neo4j-shutdown"));

    // A user with a password of its own; no password change is asked for at first sign-in.
    service
        .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
        .executeTransactionally(
            "CREATE OR REPLACE USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
            Map.of("user", user, "password", password));

    waitForBolt(port);
    System.err.println(
        "neo4j-server: Neo4j "
            + org.neo4j.kernel.internal.Version.getNeo4jVersion()
            + " Community on "
            + LOOPBACK
            + ":"
            + port
            + ", files in "
            + serverHome
            + (temporary ? " (deleted on stop)" : ""));
    out.println(
        "NETMAP_TEST_NEO4J_URI=bolt://" + user + ":" + password + "@" + LOOPBACK + ":" + port);
    out.flush();
    stopped.await();
  }

  private static String require(String option, String value) {
    if (value == null) {
      fail(option + " needs a value");
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println("neo4j-server: " + message);
    System.exit(2);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(LOOPBACK, 0));
      return probe.getLocalPort();
    }
  }

  private static String randomPassword() {
    // Letters and digits only: it goes into a URL unescaped.
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder("netmap-");
    for (int i = 0; i < 20; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  /** Wait until the Bolt port answers a handshake with a protocol version (60 s at most). */
  private static void waitForBolt(int port) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
        socket.setSoTimeout(5000);
        OutputStream request = socket.getOutputStream();
        request.write(BOLT_HANDSHAKE);
        request.flush();
        InputStream answer = socket.getInputStream();
        byte[] version = answer.readNBytes(4);
        if (version.length == 4 && (version[2] != 0 || version[3] != 0)) {
          return;
        }
        last = new IOException("the handshake was answered with " + version.length + " bytes");
      } catch (IOException notYet) {
        last = notYet;
      }
      Thread.sleep(200);
    }
    System.err.println("neo4j-server: Bolt did not answer on port " + port + ": " + last);
    System.exit(1);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      System.err.println("neo4j-server: could not delete " + root);
    }
  }
}
