package id.layanan.android

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import android.net.NetworkRequest
import id.layanan.core.NetworkState
import id.layanan.presentation.LayananApp

/**
 * Reports the network to the core on every change (ConnectivityManager's network
 * callback, API 21+): connected when the default network has internet, metered
 * unless it says NOT_METERED. The core decides what to do with it (wait for Wi-Fi
 * when the profile says Wi-Fi only, stop a run when offline).
 */
class NetworkMonitor(context: Context, private val app: LayananApp) {
    private val connectivity = context.getSystemService(Context.CONNECTIVITY_SERVICE) as ConnectivityManager

    private val callback = object : ConnectivityManager.NetworkCallback() {
        override fun onAvailable(network: Network) = report()
        override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) = report()
        override fun onLost(network: Network) = report()
    }

    fun start() {
        val request = NetworkRequest.Builder().addCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET).build()
        connectivity.registerNetworkCallback(request, callback)
        report()
    }

    fun stop() = connectivity.unregisterNetworkCallback(callback)

    /** The default network now (API 23's activeNetwork), as the core wants it. */
    private fun report() {
        val caps = connectivity.activeNetwork?.let(connectivity::getNetworkCapabilities)
        app.setNetwork(
            NetworkState(
                connected = caps?.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) == true,
                metered = caps?.hasCapability(NetworkCapabilities.NET_CAPABILITY_NOT_METERED) != true,
            ),
        )
    }
}
