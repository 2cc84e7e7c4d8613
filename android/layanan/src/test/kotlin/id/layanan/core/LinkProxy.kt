package id.layanan.core

import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.URI
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * A real TCP proxy in front of the test server, for what a village link does to the
 * sync: [bytesPerSecond] caps the upload direction (0: no cap), and the first
 * connection that has carried [dropAfterBytes] bytes upstream is cut (once), as when
 * the signal goes mid-upload.
 */
class LinkProxy(
    target: String,
    private val bytesPerSecond: Long = 0,
    private val dropAfterBytes: Long = -1,
) : AutoCloseable {
    private val upstream = URI.create(target)
    private val listener = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val closed = AtomicBoolean(false)
    private val dropped = AtomicBoolean(false)
    private val drops = AtomicInteger(0)

    /** The URL to give the sync service instead of the server's. */
    val url = "http://127.0.0.1:${listener.localPort}"

    /** Connections cut so far. */
    val dropCount: Int get() = drops.get()

    init {
        Thread { acceptLoop() }.apply { isDaemon = true; start() }
    }

    private fun acceptLoop() {
        while (!closed.get()) {
            val client = try { listener.accept() } catch (e: Exception) { return }
            val server = Socket()
            try {
                server.connect(InetSocketAddress(upstream.host, upstream.port))
            } catch (e: Exception) {
                client.close(); continue
            }
            pump(client.getInputStream(), server.getOutputStream(), client, server, up = true)
            pump(server.getInputStream(), client.getOutputStream(), client, server, up = false)
        }
    }

    private fun pump(input: InputStream, output: OutputStream, a: Socket, b: Socket, up: Boolean) {
        Thread {
            val buf = ByteArray(4096)
            var carried = 0L
            try {
                while (true) {
                    val n = input.read(buf)
                    if (n < 0) break
                    if (up && bytesPerSecond > 0) Thread.sleep(n * 1000L / bytesPerSecond)
                    carried += n
                    if (up && dropAfterBytes >= 0 && carried >= dropAfterBytes && dropped.compareAndSet(false, true)) {
                        drops.incrementAndGet()
                        break
                    }
                    output.write(buf, 0, n)
                    output.flush()
                }
            } catch (e: Exception) {
                // The other side closed: close both.
            } finally {
                a.close(); b.close()
            }
        }.apply { isDaemon = true; start() }
    }

    override fun close() {
        closed.set(true)
        listener.close()
    }
}
