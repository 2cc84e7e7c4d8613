// The library module: the UniFFI bindings (generated into src/main/kotlin by
// bindings/generate.sh), the plain-Kotlin presentation layer and vault
// (src/main/kotlin), the Android adapters (src/android/kotlin), and liblayanan.so
// for the four Android ABIs, built by cargo-ndk into build/jniLibs.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "id.layanan"
    compileSdk = 35
    ndkVersion = "27.2.12479018"

    defaultConfig {
        minSdk = 23
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].apply {
        kotlin.srcDirs("src/main/kotlin", "src/android/kotlin")
        jniLibs.srcDir(layout.buildDirectory.dir("jniLibs"))
    }
    // The JVM tests need the host-built library and the reference server: they run
    // through tests/kotlin/run.sh, not through Gradle's unit-test task.
    sourceSets["test"].kotlin.srcDirs("src/test/kotlin")
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    // UniFFI's Kotlin bindings call the library through JNA; the AAR carries
    // libjnidispatch.so for every ABI.
    implementation("net.java.dev.jna:jna:5.14.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
}

// cargo-ndk builds liblayanan.so for the four ABIs with the NDK's clang (bundled
// SQLite and ring need it). The link flags live in the workspace's .cargo/config.toml
// (16 KB pages, which Google Play requires for apps targeting Android 15, and packed
// relocations); a RUSTFLAGS in the environment would replace them, so none is set.
val rustRoot = rootProject.projectDir.parentFile
val cargoNdk by tasks.registering(Exec::class) {
    group = "build"
    description = "Builds liblayanan.so for arm64-v8a, armeabi-v7a, x86_64 and x86 into build/jniLibs."
    workingDir = rustRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64", "-t", "x86",
        "--platform", "23",
        "-o", layout.buildDirectory.dir("jniLibs").get().asFile.path,
        "build", "--release", "-p", "layanan-ffi",
    )
    inputs.dir(File(rustRoot, "core"))
    inputs.dir(File(rustRoot, "bindings/src"))
    inputs.file(File(rustRoot, "Cargo.lock"))
    outputs.dir(layout.buildDirectory.dir("jniLibs"))
}

// The bindings must match the library they call: regenerate them from the built
// host library (the metadata is the same for every target).
val generateBindings by tasks.registering(Exec::class) {
    group = "build"
    workingDir = rustRoot
    commandLine("bindings/generate.sh", "--release")
    outputs.file("src/main/kotlin/id/layanan/core/layanan.kt")
}

tasks.named("preBuild") { dependsOn(cargoNdk, generateBindings) }
