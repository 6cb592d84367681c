package hdt;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with only a Bolt connector on 127.0.0.1, so HDT can use a real
 * Neo4j on machines without Docker or a Neo4j install (the {@code neo4j-local://} backend).
 *
 * <p>Usage: {@code java -Xmx512m -cp CP hdt.Neo4jLocal DATA_DIR PORT [--pagecache SIZE]
 * [--watch-stdin]}
 *
 * <p>Contract with the Python process manager ({@code graph/neo4j_local/__init__.py}):
 *
 * <ul>
 *   <li>stdout carries exactly one line, {@code HDT-NEO4J-READY bolt://127.0.0.1:PORT}, once the
 *       default database accepts Bolt connections; Neo4j's own logs go to {@code DATA_DIR/logs}.
 *   <li>A start failure prints one line starting with {@code HDT-NEO4J-ERROR} on stderr and exits
 *       with 2 (bad usage / unwritable dir), 3 (port taken), 4 (data dir locked by another
 *       Neo4j) or 1 (anything else, after a stack trace).
 *   <li>SIGTERM (or, with {@code --watch-stdin}, EOF on stdin, i.e. the parent died) shuts the
 *       database down cleanly through a shutdown hook, checkpointing so the next start needs no
 *       recovery; the last line on stderr is then {@code HDT-NEO4J-STOPPED}.
 * </ul>
 */
public final class Neo4jLocal {
  private static final String HOST = "127.0.0.1";

  private Neo4jLocal() {}

  public static void main(String[] args) {
    // Neo4j and its libraries (Netty, log4j status logger) sometimes write to System.out; the
    // Python side parses stdout, so keep the real stdout for our one line and send the rest to
    // stderr, which the caller collects into a log file under the data dir.
    PrintStream ready = System.out;
    System.setOut(System.err);
    int code = run(args, ready);
    if (code != 0) {
      System.exit(code);
    }
  }

  private static int run(String[] args, PrintStream ready) {
    if (args.length < 2) {
      return fail(2, "usage: hdt.Neo4jLocal DATA_DIR PORT [--pagecache SIZE] [--watch-stdin]");
    }
    Path dataDir = Path.of(args[0]).toAbsolutePath();
    int port;
    try {
      port = Integer.parseInt(args[1]);
    } catch (NumberFormatException e) {
      return fail(2, "port is not a number: " + args[1]);
    }
    if (port < 1 || port > 65535) {
      return fail(2, "port out of range: " + port);
    }
    String pagecache = "128m";
    boolean watchStdin = false;
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--watch-stdin")) {
        watchStdin = true;
      } else if (args[i].equals("--pagecache") && i + 1 < args.length) {
        pagecache = args[++i];
      } else {
        return fail(2, "unknown argument: " + args[i]);
      }
    }

    String dirProblem = checkWritable(dataDir);
    if (dirProblem != null) {
      return fail(2, "data directory " + dataDir + " is not writable: " + dirProblem);
    }
    // Probe the port first: Neo4j would otherwise fail deep inside its lifecycle, after
    // several seconds of start-up and with a long stack trace.
    if (!portFree(port)) {
      return fail(3, "port " + HOST + ":" + port + " is already in use");
    }

    DatabaseManagementService service;
    try {
      service =
          new DatabaseManagementServiceBuilder(dataDir)
              .setConfig(BoltConnector.enabled, true)
              .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
              .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
              .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
              .setConfig(HttpConnector.enabled, false)
              .setConfig(HttpsConnector.enabled, false)
              .setConfig(GraphDatabaseSettings.auth_enabled, false)
              // No usage pings to the outside world from a dev/test server.
              .setConfig(GraphDatabaseSettings.udc_enabled, false)
              .setConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
              .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
              // Avoid 256 MiB fallocated transaction logs per data dir (tests make many dirs).
              .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
              // Stop time: Neo4j's own stop (close Bolt connections, wait up to
              // db.shutdown_transaction_end_timeout = 10 s for open transactions, checkpoint,
              // close stores) takes ~0.2 s when idle. After that it tears down Bolt's Netty
              // event loops with a 5 s quiet period per loop group (~10 s in total), by which
              // time every database is already stopped and checkpointed. Shortening only that
              // tail cannot lose data; the transaction wait is left at its default.
              .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
              .setConfig(
                  GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
              .setConfig(
                  BoltConnectorInternalSettings.thread_pool_shutdown_wait_time,
                  Duration.ofSeconds(5))
              .build();
    } catch (Throwable t) {
      if (hasCause(t, BindException.class) || messageChainContains(t, "Address already in use")) {
        return fail(3, "port " + HOST + ":" + port + " is already in use");
      }
      if (hasCauseNamed(t, "FileLockException")) {
        return fail(4, "data directory " + dataDir + " is in use by another Neo4j process");
      }
      t.printStackTrace();
      return fail(1, "neo4j failed to start: " + rootMessage(t));
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.shutdown();
                    System.err.println("HDT-NEO4J-STOPPED");
                  } catch (Throwable t) {
                    t.printStackTrace();
                    System.err.println("HDT-NEO4J-ERROR shutdown failed: " + rootMessage(t));
                  } finally {
                    stopped.countDown();
                  }
                },
                "hdt-neo4j-shutdown"));

    if (!service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(60_000)) {
      System.exit(fail(1, "default database did not become available within 60 s"));
    }
    ready.println("HDT-NEO4J-READY bolt://" + HOST + ":" + port);
    ready.flush();

    if (watchStdin) {
      Thread watcher = new Thread(Neo4jLocal::exitOnStdinEof, "hdt-stdin-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Exits (running the shutdown hook) once stdin closes: the parent process is gone. */
  private static void exitOnStdinEof() {
    InputStream in = System.in;
    byte[] buf = new byte[256];
    try {
      while (in.read(buf) >= 0) {
        // Discard; only EOF matters.
      }
    } catch (IOException e) {
      // Treat a broken stdin like EOF.
    }
    System.exit(0);
  }

  private static String checkWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // Same option as Netty uses, so a port in TIME_WAIT is not mistaken for a taken one.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCauseNamed(Throwable t, String simpleName) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }

  private static boolean messageChainContains(Throwable t, String text) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.replace('\n', ' '));
  }

  private static int fail(int code, String message) {
    System.err.println("HDT-NEO4J-ERROR " + message);
    System.err.flush();
    return code;
  }
}
