package id.layanan.app

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.CoroutineScope

/**
 * The only androidx ViewModel: it keeps one screen model alive across rotations and
 * gives it `viewModelScope`. Every decision is in the screen model.
 */
class ModelHolder<M : Any>(create: (CoroutineScope) -> M) : ViewModel() {
    val model: M = create(viewModelScope)
}
