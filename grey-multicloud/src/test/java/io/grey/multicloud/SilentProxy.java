package io.grey.multicloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of a real server that can be switched to hang: it keeps accepting connections and
 * reading what clients send, but forwards nothing and answers nothing, like a cloud endpoint that stopped
 * responding without closing connections. Switching back resumes forwarding.
 */
final class SilentProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean silent;

  SilentProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("silent-proxy-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on nothing passes in either direction, on new and existing connections. */
  void hang() {
    silent = true;
  }

  /** Traffic passes again. */
  void resume() {
    silent = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        Thread.ofVirtual().start(() -> connect(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void connect(Socket client) {
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
      sockets.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream));
      pump(upstream, client);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        while (silent && !listener.isClosed()) {
          // Hold the bytes back until traffic resumes: the peer sees a connection that never answers.
          Thread.sleep(20);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The connection ended.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(SilentProxy::closeQuietly);
  }
}
