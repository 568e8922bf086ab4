// DynamoDB Local, bound to the loopback interface, and gone when the process that started it is.
//
// DynamoDB Local has no option for the address it listens on: its Jetty server is built with a
// port only, which binds every interface. This launcher builds the server as `DynamoDBLocal.jar`
// does, with the same arguments, sets the address of its one connector to 127.0.0.1 before it
// starts, then reads its stdin until end of file: when the parent process ends, however it ends
// (even SIGKILL), the pipe closes and the database exits with it.
//
// Run with Java's source-file mode (the JRE compiles it in memory; no build step):
//   java -cp DynamoDBLocal.jar:DynamoDBLocal_lib/* loopback-dynamodb-local.java -port 8000 ...

import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1:" + ((ServerConnector) connectors[0]).getLocalPort());
    // The parent holds our stdin open while it lives; end of file means it is gone.
    while (System.in.read() != -1) {
      // Input is not a command; only its end matters.
    }
    // As on SIGTERM: the JVM runs its shutdown hooks and stops the server.
    System.exit(0);
  }
}
