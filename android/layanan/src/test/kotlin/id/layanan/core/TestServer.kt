package id.layanan.core

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The reference server tests/kotlin/run.sh starts (TEST_SERVER_URL, TEST_SERVER_LOG).
 * It runs in development mode, which writes each one-time sign-in code to its log.
 */
object TestServer {
    val url: String? = System.getenv("TEST_SERVER_URL")
    private val log: String? = System.getenv("TEST_SERVER_LOG")
    /** The server's published forms folder (it reads changes live). */
    val formsDir: File? = System.getenv("TEST_SERVER_FORMS")?.let(::File)

    /**
     * Publishes a copy of the fixture form [fixture] under a new, unique form id, so
     * a test can withdraw it later without touching what other tests use. Returns
     * the new form id.
     */
    fun publishCopy(fixture: File, formId: String, newId: String): String {
        val xml = fixture.readText().replace("id=\"$formId\"", "id=\"$newId\"")
        require(xml.contains("id=\"$newId\"")) { "the fixture does not declare id=\"$formId\"" }
        File(formsDir!!, "$newId.xml").writeText(xml)
        return newId
    }

    /** Withdraws a form published with [publishCopy]. */
    fun withdraw(formId: String) {
        File(formsDir!!, "$formId.xml").delete()
    }

    /** The agency key, taken from the server (an app ships it instead). */
    fun agencyKeyHex(): String {
        val body = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("$url/v1/agency-key")).build(),
            HttpResponse.BodyHandlers.ofString(),
        ).body()
        return Regex("\"public_key\"\\s*:\\s*\"([0-9a-f]{64})\"").find(body)!!.groupValues[1]
    }

    internal fun codes(): List<String> =
        Regex("code=(\\d{4,8})").findAll(File(log!!).readText()).map { it.groupValues[1] }.toList()

    /** The one-time code the server "texted" after [seen] codes, waiting for it to appear. */
    fun nextCode(seen: Int): String {
        repeat(50) {
            val all = codes()
            if (all.size > seen) return all.last()
            Thread.sleep(100)
        }
        error("no new one-time code in the server log")
    }

    /** Signs in through [sync] with the code the server "texted" for this sign-in. */
    suspend fun signIn(sync: SyncService, phone: String) {
        val seen = codes().size
        val challenge = sync.startSignIn(phone)
        repeat(50) {
            val all = codes()
            if (all.size > seen) {
                sync.finishSignIn(challenge.challengeId, all.last())
                return
            }
            Thread.sleep(100)
        }
        error("no new one-time code in the server log")
    }
}
