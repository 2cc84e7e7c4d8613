// The Android project: the Compose app and the Kotlin library module (generated
// bindings, platform adapters, presentation layer). Built on workstations and
// release CI; the build machines here compile and test the library's Kotlin with
// tests/kotlin/run.sh instead (see README.md).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "layanan-android"
include(":layanan", ":app")
