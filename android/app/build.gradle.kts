plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "id.layanan.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "id.layanan.app"
        minSdk = 23
        targetSdk = 35
        // fastlane passes the workspace version (Cargo.toml) and a build number.
        versionCode = (project.findProperty("versionCode") as String?)?.toInt() ?: 1
        versionName = (project.findProperty("versionName") as String?) ?: "0.1.0"
        // The agency's server and receipt key are part of the build, never fetched.
        buildConfigField("String", "SERVER_URL", "\"${project.findProperty("layananServerUrl") ?: "https://layanan.example.go.id"}\"")
        buildConfigField("String", "AGENCY_KEY_HEX", "\"${project.findProperty("layananAgencyKey") ?: ""}\"")
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }
    packaging {
        // Native libraries stay uncompressed and 16 KB aligned in the APK/AAB, so
        // the system maps them in place (Google Play's 16 KB page requirement).
        jniLibs.useLegacyPackaging = false
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    implementation(project(":layanan"))
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
    implementation("androidx.biometric:biometric:1.1.0")
    implementation("androidx.fragment:fragment-ktx:1.8.5")
}
